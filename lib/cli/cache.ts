import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AwsCredentialIdentity } from '@smithy/types'
import { refreshWindows } from '../refresh/windows.js'
import type { SourceSpec } from './sourceSpec.js'

/** Credentials as the cache keeps them, with the time they were fetched. */
export type CachedCredentials = {
  readonly credentials: AwsCredentialIdentity & { readonly expiration: Date }
  /** When they were fetched (epoch ms): with `expiration` it gives the lifetime that scales the refresh windows. */
  readonly issuedAt: number
}

/** Bump when the file format or the key material changes: old files are then simply not found. */
const FORMAT = 1

const canonicalJson = (value: Readonly<Record<string, unknown>>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))

/**
 * The cache file name of a source: the sha256 of its canonical spec (which holds no
 * secret), so equal options share a file and different ones never do. Signed STS sources
 * without `--base-profile` also key on `AWS_PROFILE` and `AWS_ACCESS_KEY_ID` (an identifier,
 * not a secret): GetSessionToken's result depends on whose keys sign it.
 */
export const cacheKey = (spec: SourceSpec, env: NodeJS.ProcessEnv): string => {
  const signed = (spec.kind === 'assume-role' || spec.kind === 'session-token') && spec.baseProfile === undefined
  const files = spec.kind === 'profile' ? canonicalJson({ config: env['AWS_CONFIG_FILE'] || undefined, credentials: env['AWS_SHARED_CREDENTIALS_FILE'] || undefined }) : undefined
  const base = signed ? canonicalJson({ profile: env['AWS_PROFILE'] || undefined, accessKeyId: env['AWS_ACCESS_KEY_ID'] || undefined }) : files
  const material = canonicalJson({ format: FORMAT, spec: canonicalJson(spec), base })
  return `${createHash('sha256').update(material).digest('hex')}.json`
}

/**
 * The default cache directory: `AWS_REFRESH_SESSION_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/aws-refresh-session`, else `~/.cache/aws-refresh-session`
 * (`%LOCALAPPDATA%\aws-refresh-session\cache` on Windows). Our own, never the AWS CLI's.
 */
export const defaultCacheDir = (env: NodeJS.ProcessEnv, homeDir: string, platform: NodeJS.Platform = process.platform): string => {
  if (env['AWS_REFRESH_SESSION_CACHE_DIR']) return env['AWS_REFRESH_SESSION_CACHE_DIR']
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'aws-refresh-session')
  if (platform === 'win32' && env['LOCALAPPDATA']) return join(env['LOCALAPPDATA'], 'aws-refresh-session', 'cache')
  return join(homeDir, '.cache', 'aws-refresh-session')
}

const str = (v: unknown): v is string => typeof v === 'string' && v !== ''

/** Reads a cache file; anything missing, unreadable, corrupt or of another format is a miss (undefined). */
export const readCache = (path: string): CachedCredentials | undefined => {
  let data: Record<string, unknown>
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
  if (typeof data !== 'object' || data === null || data['Format'] !== FORMAT) return undefined
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration, AccountId, IssuedAt } = data
  if (!str(AccessKeyId) || !str(SecretAccessKey) || !str(Expiration) || !str(IssuedAt)) return undefined
  if ((SessionToken !== undefined && !str(SessionToken)) || (AccountId !== undefined && !str(AccountId))) return undefined
  const expiration = new Date(Expiration)
  const issuedAt = Date.parse(IssuedAt)
  if (Number.isNaN(expiration.getTime()) || Number.isNaN(issuedAt) || issuedAt >= expiration.getTime()) return undefined
  const credentials = { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, expiration, ...(SessionToken && { sessionToken: SessionToken }), ...(AccountId && { accountId: AccountId }) }
  return { credentials, issuedAt }
}

/**
 * Writes a cache file atomically: a temporary file in the same directory (mode 0600,
 * exclusive create) renamed over the old one, so a reader never sees half a file. Creates
 * the directory with mode 0700.
 */
export const writeCache = (path: string, dir: string, entry: CachedCredentials): void => {
  const c = entry.credentials
  const body = JSON.stringify({
    Format: FORMAT, AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken,
    Expiration: c.expiration.toISOString(), AccountId: c.accountId, IssuedAt: new Date(entry.issuedAt).toISOString(),
  })
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
  try {
    writeFileSync(temp, body, { mode: 0o600, flag: 'wx' })
    renameSync(temp, path)
  } catch (e) {
    rmSync(temp, { force: true })
    throw e
  }
}

/**
 * True when cached credentials are due for refresh by `withRefresh`'s rule: inside the
 * advisory window, which scales with their lifetime (`refreshWindows`, no jitter).
 */
export const isDue = (entry: CachedCredentials, now: number): boolean => {
  const expiresAt = entry.credentials.expiration.getTime()
  return now >= expiresAt - refreshWindows(expiresAt - entry.issuedAt).advisoryMs
}
