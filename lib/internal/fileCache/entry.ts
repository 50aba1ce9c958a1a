import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { AwsCredentialIdentity } from '@smithy/types'
import { refreshWindows } from '../../refresh/windows.js'

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

/** Bump when the file format changes: files of another format are then simply misses. */
const FORMAT = 1

/** `O_NOFOLLOW` where the platform has it (not on Windows): a planted symlink is never read. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0

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
    fd = openSync(path, constants.O_RDONLY | NOFOLLOW)
    return ownedPrivately(fd) ? readFileSync(fd, 'utf8') : undefined
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

const decode = (data: Record<string, unknown>): FileCacheEntry | undefined => {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration, AccountId, IssuedAt } = data
  if (data['Format'] !== FORMAT || !str(AccessKeyId) || !str(SecretAccessKey) || !str(Expiration) || !str(IssuedAt)) return undefined
  if ((SessionToken !== undefined && !str(SessionToken)) || (AccountId !== undefined && !str(AccountId))) return undefined
  const expiration = new Date(Expiration)
  const issuedAt = Date.parse(IssuedAt)
  if (Number.isNaN(expiration.getTime()) || Number.isNaN(issuedAt) || issuedAt >= expiration.getTime()) return undefined
  const credentials = { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, expiration, ...(SessionToken && { sessionToken: SessionToken }), ...(AccountId && { accountId: AccountId }) }
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

/**
 * Writes a cache file atomically: a temporary file in the same directory (mode 0600,
 * exclusive create, so never through a symlink) renamed over the old one, so a reader
 * never sees half a file and a symlink at `path` is replaced, never followed.
 * @internal
 */
export const writeEntry = (path: string, dir: string, entry: FileCacheEntry): void => {
  const c = entry.credentials
  const body = JSON.stringify({
    Format: FORMAT, AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken,
    Expiration: c.expiration.toISOString(), AccountId: c.accountId, IssuedAt: new Date(entry.issuedAt).toISOString(),
  })
  const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
  try {
    writeFileSync(temp, body, { mode: 0o600, flag: 'wx' })
    renameSync(temp, path)
  } catch (e) {
    rmSync(temp, { force: true })
    throw e
  }
}

/** Fresh: before the advisory window of `withRefresh`, scaled to the entry's lifetime (no jitter). @internal */
export const isFresh = (entry: FileCacheEntry, now: number): boolean => {
  const expiresAt = entry.credentials.expiration.getTime()
  return now < expiresAt - refreshWindows(expiresAt - entry.issuedAt).advisoryMs
}
