// The write side of a cache entry: never on the CLI's cache-hit path, so it may load node:crypto.
import { randomBytes } from 'node:crypto'
import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ENTRY_FORMAT, type FileCacheEntry } from './entry.js'

/**
 * Writes a cache file atomically: a temporary file in the same directory (mode 0600,
 * exclusive create, so never through a symlink) renamed over the old one, so a reader
 * never sees half a file and a symlink at `path` is replaced, never followed.
 * @internal
 */
export const writeEntry = (path: string, dir: string, entry: FileCacheEntry): void => {
  const c = entry.credentials
  const body = JSON.stringify({
    Format: ENTRY_FORMAT,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: c.expiration.toISOString(),
    AccountId: c.accountId,
    IssuedAt: new Date(entry.issuedAt).toISOString(),
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
