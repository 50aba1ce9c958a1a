// The read side of a cache entry, loaded on the CLI's cache-hit path: node built-ins in
// Node's start-up snapshot, the refresh windows and the plain-code SHA-256 only (no
// node:crypto). Writing is in writeEntry.ts.
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { AwsCredentialIdentity } from '@smithy/types'
import { windowsFor } from '../../refresh/lifetimeWindows.js'
import { sha256Hex } from '../sha256Hex.js'

/**
 * Credentials as a cache file keeps them, with the time they were stored: with
 * `expiration` it gives the lifetime that scales the refresh windows.
 * @internal
 */
export type FileCacheEntry = {
  readonly credentials: AwsCredentialIdentity & { readonly expiration: Date }
  /** When they were stored (epoch ms). */
  readonly issuedAt: number
}

/** Bump when the file format changes: files of another format are then simply misses. @internal */
export const ENTRY_FORMAT = 1

/** `O_NOFOLLOW` where the platform has it (not on Windows): a planted symlink is never read. */
const noFollow = (): number => constants.O_NOFOLLOW ?? 0

const str = (v: unknown): v is string => typeof v === 'string' && v !== ''

/** The file is ours alone: a regular file, owned by this user, readable and writable by nobody else. */
const ownedPrivately = (fd: number): boolean => {
  const st = fstatSync(fd)
  const uid = process.getuid?.()
  return st.isFile() && (uid === undefined || (st.uid === uid && (st.mode & 0o077) === 0))
}

const readPrivate = (path: string): string | undefined => {
  let fd: number | undefined
  try {
    fd = openSync(path, constants.O_RDONLY | noFollow())
    return ownedPrivately(fd) ? readFileSync(fd, 'utf8') : undefined
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

const decode = (data: Record<string, unknown>): FileCacheEntry | undefined => {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration, AccountId, IssuedAt } = data
  if (
    data['Format'] !== ENTRY_FORMAT ||
    !str(AccessKeyId) ||
    !str(SecretAccessKey) ||
    !str(Expiration) ||
    !str(IssuedAt)
  )
    return undefined
  if ((SessionToken !== undefined && !str(SessionToken)) || (AccountId !== undefined && !str(AccountId)))
    return undefined
  const expiration = new Date(Expiration)
  const issuedAt = Date.parse(IssuedAt)
  if (Number.isNaN(expiration.getTime()) || Number.isNaN(issuedAt) || issuedAt >= expiration.getTime()) return undefined
  const credentials = {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    expiration,
    ...(SessionToken && { sessionToken: SessionToken }),
    ...(AccountId && { accountId: AccountId }),
  }
  return { credentials, issuedAt }
}

/**
 * Reads a cache file. Anything missing, unreadable, corrupt, of another format, a symlink,
 * not a regular file, owned by another user or readable by others is a miss (undefined).
 * @internal
 */
export const readEntry = (path: string): FileCacheEntry | undefined => {
  const text = readPrivate(path)
  if (text === undefined) return undefined
  try {
    const data: unknown = JSON.parse(text)
    return typeof data === 'object' && data !== null ? decode(data as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Fresh: before the advisory window of `withRefresh`, scaled to the entry's lifetime (no jitter). @internal */
export const isFresh = (entry: FileCacheEntry, now: number): boolean => {
  const expiresAt = entry.credentials.expiration.getTime()
  return now < expiresAt - windowsFor(expiresAt - entry.issuedAt, undefined).advisoryMs
}

/**
 * JSON with object keys sorted at every depth and undefined members dropped: equal keys in
 * any order give one text. A loop, not entries/filter/sort callbacks: the CLI's cache hit
 * runs this once, in the interpreter.
 */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const record = value as Record<string, unknown>
    const members: string[] = []
    // Object.keys lists what Object.entries does; sort() compares UTF-16 code units, as `<` does.
    for (const k of Object.keys(record).sort()) {
      const v = record[k]
      if (v !== undefined) members.push(`${JSON.stringify(k)}:${canonical(v)}`)
    }
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * The file name of a cache entry: the hex SHA-256 of the canonical JSON of the key, so the
 * name reveals nothing of the key, equal keys share a file and different ones never do.
 * @internal
 */
export const entryName = (key: unknown): string => `${sha256Hex(canonical(key))}.json`

/**
 * What an entry's name is made of: the caller's key, plus what the cached source tells of
 * itself (its name and MFA serial), so two kinds of source never share an entry even
 * under one key.
 * @internal
 */
export const entryMaterial = (key: unknown, sourceName: string, mfaSerialNumber: string | undefined): unknown => ({
  format: 1,
  key,
  source: sourceName,
  mfaSerialNumber,
})

/**
 * The default cache directory: `AWS_REFRESH_SESSION_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/aws-refresh-session`, else `~/.cache/aws-refresh-session`
 * (`%LOCALAPPDATA%\aws-refresh-session\cache` on Windows). Our own, never the AWS CLI's.
 * @internal
 */
export const defaultCacheDir = (
  env: NodeJS.ProcessEnv,
  homeDir: string,
  platform: NodeJS.Platform = process.platform,
): string => {
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
  if ((st.mode & 0o022) !== 0)
    return `is writable by ${(st.mode & 0o002) !== 0 ? 'every user' : 'its group'} (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`
  return undefined
}
