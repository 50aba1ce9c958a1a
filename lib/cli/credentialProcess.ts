import { CredentialError } from '../errors.js'
import { describeError } from '../internal/redact.js'
import { type FileCacheEvent, withFileCache } from '../transforms/withFileCache.js'
import type { AwsCredentialIdentity, CredentialSource } from '../types.js'
import { CLI_SOURCE_NAME, toProcessJson } from './cachedOutput.js'
import { COMMAND } from './flags.js'

export { toProcessJson }

/**
 * Options of {@link credentialProcess}.
 */
export type CredentialProcessOptions = {
  /** The source to call when the cache has nothing usable. */
  readonly source: CredentialSource
  /** The cache directory and key (see `cliCacheKey`), or `undefined` for `--no-cache`. */
  readonly cache: { readonly dir: string; readonly key: Readonly<Record<string, unknown>> } | undefined
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
  /** The clock, epoch ms. @default Date.now */
  readonly now?: (() => number) | undefined
  /** Aborts the fetch, the lock wait and an MFA prompt (the CLI aborts it on SIGINT, SIGTERM, SIGHUP). */
  readonly signal?: AbortSignal | undefined
  /** How long to wait for another run's refresh. @default withFileCache's */
  readonly lockTimeoutMs?: number | undefined
}

const warn = (stderr: NodeJS.WritableStream, message: string): void =>
  void stderr.write(`${COMMAND}: warning: ${message}\n`)

const report =
  (stderr: NodeJS.WritableStream) =>
  (e: FileCacheEvent): void => {
    if (e.type === 'write-failed')
      return warn(
        stderr,
        `could not write the cache file ${e.path} (${describeError(e.error)}); the next run will call the source again`,
      )
    const why = e.error instanceof CredentialError ? `${e.error.message} [${e.error.code}]` : describeError(e.error)
    warn(
      stderr,
      `could not refresh (${why}); serving the cached credentials, valid until ${e.expiration.toISOString()}`,
    )
  }

/** The source under a fixed name and without MFA capability, so the entry name is the key's alone (the cache-hit path computes it without building the source). */
const cacheable = (source: CredentialSource): CredentialSource =>
  Object.defineProperty((context?: Parameters<CredentialSource>[0]) => source(context), 'name', {
    value: CLI_SOURCE_NAME,
  })

/**
 * Prints the `credential_process` JSON for the source on `stdout`. With a cache it is
 * `withFileCache` over the source: the stored credentials until they are due for refresh
 * (the advisory window of `withRefresh`, scaled to their lifetime), then one run at a time
 * calls the source — and asks for an MFA code — under a lock; a failed refresh serves
 * still-valid stored credentials with a warning on `stderr`.
 * @throws CredentialError whatever the source throws when nothing valid is cached; `InvalidConfiguration` for a cache directory others can write.
 */
export const credentialProcess = async (o: CredentialProcessOptions): Promise<void> => {
  const source =
    o.cache === undefined
      ? o.source
      : withFileCache({
          key: o.cache.key,
          dir: o.cache.dir,
          onEvent: report(o.stderr),
          ...(o.now && { now: o.now }),
          ...(o.lockTimeoutMs && { lockTimeoutMs: o.lockTimeoutMs }),
        })(cacheable(o.source))
  const credentials: AwsCredentialIdentity = await source(o.signal && { signal: o.signal })
  o.stdout.write(`${toProcessJson(credentials)}\n`)
}
