import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { CredentialError } from '../errors.js'
import { invalidConfiguration, MAX_TIMER_MS } from '../internal/validate.js'
import {
  defaultCacheDir,
  entryMaterial,
  entryName,
  type FileCacheEntry,
  isFresh,
  readEntry,
} from '../internal/fileCache/entry.js'
import { writeEntry } from '../internal/fileCache/writeEntry.js'
import { ensureCacheDir } from '../internal/fileCache/ensureCacheDir.js'
import { withFileLock } from '../internal/fileCache/withFileLock.js'
import { sourceName } from '../internal/sourceName.js'
import { toCredentialError } from '../internal/toCredentialError.js'
import type { AwsCredentialIdentity, CredentialSource, SourceContext } from '../types.js'

const SOURCE = 'withFileCache'

/**
 * What {@link withFileCache} reports besides its results: a stored value served because
 * the fetch failed, or an entry it could not write. Never holds a secret.
 *
 * @category transforms
 * @since 0.2.0
 */
export type FileCacheEvent =
  | { readonly type: 'stale-served'; readonly error: unknown; readonly expiration: Date }
  | { readonly type: 'write-failed'; readonly path: string; readonly error: unknown }

/**
 * Options of {@link withFileCache}.
 *
 * @category transforms
 * @since 0.2.0
 */
export type WithFileCacheOptions = {
  /**
   * Names the entry: everything that decides WHOSE credentials the source returns and
   * from where, never a secret. For `fromAssumeRole`: the role ARN, session name, external
   * id, duration, the base identity (profile name or access key id) and the STS
   * endpoint/region. A string, or an object (compared with keys in any order). The source's
   * name and MFA serial are added to it.
   */
  readonly key: string | Readonly<Record<string, unknown>>
  /** The folder of the entries. @default the CLI's: `$AWS_REFRESH_SESSION_CACHE_DIR`, `$XDG_CACHE_HOME/aws-refresh-session` or `~/.cache/aws-refresh-session` */
  readonly dir?: string
  /** The clock, epoch ms. @default Date.now */
  readonly now?: () => number
  /** How long a call waits for another process's fetch before it fails with `Timeout`. @default 180_000 */
  readonly lockTimeoutMs?: number
  /** Observer of stale serving and failed writes. @default none */
  readonly onEvent?: (event: FileCacheEvent) => void
}

const invalid = (message: string): CredentialError => invalidConfiguration(SOURCE, message)

const validate = (o: WithFileCacheOptions): void => {
  if (typeof o !== 'object' || o === null) throw invalid('options must be an object { key, dir? }')
  const { key, dir, now, lockTimeoutMs, onEvent } = o
  const keyOk =
    (typeof key === 'string' && key !== '') ||
    (typeof key === 'object' && key !== null && !Array.isArray(key) && Object.keys(key).length > 0)
  if (!keyOk)
    throw invalid('key must be a non-empty string or object naming the identity (role, base identity, endpoint)')
  if (dir !== undefined && (typeof dir !== 'string' || dir === '')) throw invalid('dir must be a non-empty path')
  if (
    lockTimeoutMs !== undefined &&
    !(typeof lockTimeoutMs === 'number' && lockTimeoutMs > 0 && lockTimeoutMs <= MAX_TIMER_MS)
  )
    throw invalid('lockTimeoutMs must be a positive number of milliseconds')
  if (now !== undefined && typeof now !== 'function') throw invalid('now must be a function')
  if (onEvent !== undefined && typeof onEvent !== 'function') throw invalid('onEvent must be a function')
}

type Cache = {
  readonly self: CredentialSource
  readonly dir: string
  readonly path: string
  readonly now: () => number
  readonly options: WithFileCacheOptions
}

/** The same stored credentials: what a forced refresh was asked to replace. */
const sameEntry = (a: FileCacheEntry, b: FileCacheEntry | undefined): boolean =>
  b !== undefined &&
  a.issuedAt === b.issuedAt &&
  a.credentials.accessKeyId === b.credentials.accessKeyId &&
  a.credentials.sessionToken === b.credentials.sessionToken

/**
 * Under the lock: another process may have stored a value meanwhile; else fetch, store, or fall
 * back to a still-valid stored one. A forced refresh never answers with `replaced` (the entry
 * stored when it was asked), neither as a hit nor as the fallback of a failed fetch.
 */
const refresh = async (
  c: Cache,
  context: SourceContext | undefined,
  replaced: FileCacheEntry | undefined,
): Promise<AwsCredentialIdentity> => {
  const read = readEntry(c.path)
  const stored = read === undefined || sameEntry(read, replaced) ? undefined : read
  if (stored !== undefined && isFresh(stored, c.now())) return stored.credentials
  let credentials: AwsCredentialIdentity
  try {
    credentials = await c.self(context)
  } catch (e) {
    if (stored === undefined || c.now() >= stored.credentials.expiration.getTime() || context?.signal?.aborted) throw e
    c.options.onEvent?.({
      type: 'stale-served',
      error: toCredentialError(e, sourceName(c.self)),
      expiration: stored.credentials.expiration,
    })
    return stored.credentials
  }
  const expiration = credentials.expiration
  if (expiration instanceof Date && expiration.getTime() > c.now())
    store(c, { credentials: { ...credentials, expiration }, issuedAt: c.now() })
  return credentials
}

const store = (c: Cache, entry: FileCacheEntry): void => {
  try {
    writeEntry(c.path, c.dir, entry)
  } catch (error) {
    c.options.onEvent?.({ type: 'write-failed', path: c.path, error: toCredentialError(error, 'withFileCache') })
  }
}

/**
 * Keeps a source's credentials in a file, so several processes on one machine, and the
 * next run of a CLI, share one fetch and one MFA prompt. One file per `key` (0600,
 * written atomically, never through a symlink) in a directory only this user can write.
 * A call returns the stored value while it is fresh by `withRefresh`'s windows (before the
 * advisory window, scaled to its lifetime); otherwise one process at a time fetches,
 * under a lock file that is taken over when its owner died, and the others then read
 * its result. When the fetch fails, a stored value that has not expired is returned
 * (`stale-served` event). `forceRefresh` never returns the value stored when it was asked
 * (not even as that fallback): it fetches, or takes what another process stored meanwhile.
 * Credentials without `expiration` pass through, never stored.
 *
 * Put it before `withRefresh` (which keeps the value in memory) and after `withMfa`, so
 * a code is asked for only when this process really fetches. The result is therefore not
 * MFA-capable. The key must name the identity: two identities under one key would share
 * credentials.
 *
 * @throws CredentialError `InvalidConfiguration` at construction for bad options, and at
 * call time for a cache directory that others can write or that is owned by another user;
 * `Timeout` when another process holds the lock past `lockTimeoutMs`; the source's error
 * when nothing valid is stored.
 * @example
 * ```ts
 * const credentials = pipe(
 *   fromAssumeRole({ RoleArn, SerialNumber }, { source: fromIni({ profile: 'me' }) }),
 *   withMfa(promptForCode()),
 *   withFileCache({ key: { RoleArn, SerialNumber, base: 'profile:me' } }),
 *   withRefresh(),
 * )
 * ```
 * @category transforms
 * @since 0.2.0
 */
export const withFileCache = (options: WithFileCacheOptions): ((self: CredentialSource) => CredentialSource) => {
  validate(options)
  const dir = resolve(options.dir ?? defaultCacheDir(process.env, homedir()))
  const now = options.now ?? Date.now
  return (self) => {
    const name = sourceName(self)
    const serial = (self as { mfaSerialNumber?: unknown }).mfaSerialNumber
    const path = join(dir, entryName(entryMaterial(options.key, name, typeof serial === 'string' ? serial : undefined)))
    const c: Cache = { self, dir, path, now, options }
    const cached = async (context?: SourceContext): Promise<AwsCredentialIdentity> => {
      ensureCacheDir(dir, SOURCE)
      const stored = readEntry(path)
      const forced = context?.forceRefresh === true
      if (!forced && stored !== undefined && isFresh(stored, now())) return stored.credentials
      return withFileLock(`${path}.lock`, () => refresh(c, context, forced ? stored : undefined), {
        timeoutMs: options.lockTimeoutMs,
        signal: context?.signal,
        source: SOURCE,
      })
    }
    Object.defineProperty(cached, 'name', { value: self.name, configurable: true })
    return typeof self.close === 'function' ? Object.assign(cached, { close: self.close }) : cached
  }
}
