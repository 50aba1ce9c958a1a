import { join } from 'node:path'
import type { AwsCredentialIdentity } from '@smithy/types'
import { CredentialError } from '../errors.js'
import { describeError } from '../internal/redact.js'
import type { CredentialSource } from '../types.js'
import { type CachedCredentials, cacheKey, isDue, readCache, writeCache } from './cache.js'
import { COMMAND } from './flags.js'
import type { SourceSpec } from './sourceSpec.js'
import { type CacheLockOptions, withCacheLock } from './withCacheLock.js'

/**
 * Options of {@link credentialProcess}.
 */
export type CredentialProcessOptions = {
  /** The source to call when the cache has nothing usable. */
  readonly source: CredentialSource
  /** What identifies the source (the cache key is made from it). */
  readonly spec: SourceSpec
  /** The cache directory, or `undefined` for `--no-cache`. */
  readonly cacheDir: string | undefined
  readonly env: NodeJS.ProcessEnv
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
  /** The clock, epoch ms. @default Date.now */
  readonly now?: () => number
  /** Options of the lock that lets one run at a time refresh. @default withCacheLock's defaults */
  readonly lock?: CacheLockOptions
}

/** The AWS `credential_process` output format (Version 1). */
export const toProcessJson = (c: AwsCredentialIdentity): string =>
  JSON.stringify({
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: c.expiration?.toISOString(),
    AccountId: c.accountId,
  })

const warn = (stderr: NodeJS.WritableStream, message: string): void => void stderr.write(`${COMMAND}: warning: ${message}\n`)

const store = (o: CredentialProcessOptions, path: string, entry: CachedCredentials): void => {
  try {
    writeCache(path, o.cacheDir!, entry)
  } catch (e) {
    warn(o.stderr, `could not write the cache file ${path} (${describeError(e)}); the next run will call the source again`)
  }
}

/** Fetches; on failure serves still-unexpired cached credentials (as `withRefresh` does) with a warning. */
const fetchOrStale = async (o: CredentialProcessOptions, cached: CachedCredentials | undefined, now: number): Promise<AwsCredentialIdentity> => {
  try {
    return await o.source()
  } catch (e) {
    if (cached === undefined || now >= cached.credentials.expiration.getTime()) throw e
    const why = e instanceof CredentialError ? `${e.message} [${e.code}]` : describeError(e)
    warn(o.stderr, `could not refresh (${why}); serving the cached credentials, valid until ${cached.credentials.expiration.toISOString()}`)
    return cached.credentials
  }
}

/** Under the lock: re-reads the cache (another run may have refreshed it meanwhile), else fetches and stores. */
const refresh = async (o: CredentialProcessOptions, path: string, now: () => number): Promise<AwsCredentialIdentity> => {
  const cached = readCache(path)
  const t = now()
  if (cached !== undefined && !isDue(cached, t)) return cached.credentials
  const credentials = await fetchOrStale(o, cached, t)
  const expiration = credentials.expiration
  if (credentials !== cached?.credentials && expiration instanceof Date) store(o, path, { credentials: { ...credentials, expiration }, issuedAt: t })
  return credentials
}

/**
 * Prints the `credential_process` JSON for the source on `stdout`. With a cache directory
 * it reuses the cached credentials until they are due for refresh (the advisory window of
 * `withRefresh`, scaled to their lifetime), so the source — and any MFA prompt — is called
 * only then, by one run at a time (a lock file next to the cache file); a missing or
 * corrupt cache file is a miss and is overwritten. A failed refresh serves still-valid
 * cached credentials with a warning on `stderr`.
 * @throws CredentialError whatever the source throws when nothing valid is cached.
 */
export const credentialProcess = async (o: CredentialProcessOptions): Promise<void> => {
  const now = o.now ?? Date.now
  const path = o.cacheDir === undefined ? undefined : join(o.cacheDir, cacheKey(o.spec, o.env))
  const cached = path === undefined ? undefined : readCache(path)
  const credentials =
    cached !== undefined && !isDue(cached, now()) ? cached.credentials
    : path === undefined ? await o.source()
    : await withCacheLock(`${path}.lock`, () => refresh(o, path, now), o.lock)
  o.stdout.write(`${toProcessJson(credentials)}\n`)
}
