import { statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The default cache directory: `AWS_REFRESH_SESSION_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/aws-refresh-session`, else `~/.cache/aws-refresh-session`
 * (`%LOCALAPPDATA%\aws-refresh-session\cache` on Windows). Our own, never the AWS CLI's.
 * @internal
 */
export const defaultCacheDir = (env: NodeJS.ProcessEnv, homeDir: string, platform: NodeJS.Platform = process.platform): string => {
  if (env['AWS_REFRESH_SESSION_CACHE_DIR']) return env['AWS_REFRESH_SESSION_CACHE_DIR']
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'aws-refresh-session')
  if (platform === 'win32' && env['LOCALAPPDATA']) return join(env['LOCALAPPDATA'], 'aws-refresh-session', 'cache')
  return join(homeDir, '.cache', 'aws-refresh-session')
}

/**
 * Why `dir` must not hold credentials, or undefined when only this user can write it: it
 * must be a directory owned by this user and not writable by group or others (POSIX only;
 * on Windows the per-user profile folder is trusted). `'missing'` when it does not exist.
 * @internal
 */
export const unsafeDirReason = (dir: string): string | undefined => {
  let st
  try {
    st = statSync(dir)
  } catch {
    return 'missing'
  }
  if (!st.isDirectory()) return 'is not a directory'
  const uid = process.getuid?.()
  if (uid === undefined) return undefined
  if (st.uid !== uid) return `is owned by another user (uid ${st.uid})`
  if ((st.mode & 0o022) !== 0) return `is writable by ${(st.mode & 0o002) !== 0 ? 'every user' : 'its group'} (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`
  return undefined
}
