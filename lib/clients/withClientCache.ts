import { CredentialError } from '../errors.js'
import { kindOf } from '../internal/validate.js'
import type { ClientConfigOf, ClientFactory, RefreshingProvider, SdkClient, SdkClientClass } from '../types.js'
import type { MetadataBearer, MiddlewareStack } from '@smithy/types'
import { type CacheConfig, cacheConfig, invalid, mergeConfig, SOURCE } from './cacheConfig.js'
import { checkProvider, recoveryPlugin } from './expiredTokenRecovery.js'
import { trackInflight } from './inflight.js'
import { isPlainRecord, NO_CONFIG } from './clientKey.js'
import { createClientLru } from './lru.js'
import { createWhoami } from './whoami.js'

/**
 * Options of {@link withClientCache}.
 *
 * @category clients
 * @since 0.1.0
 */
export type WithClientCacheOptions = {
  /**
   * The region of every client whose config does not name one.
   * @default none: each client resolves its region as the SDK does (`AWS_REGION`, profile)
   */
  readonly region?: string
  /** How many clients are kept; past it the least recently used one is `destroy()`ed, after its requests in flight and their streaming bodies are done. @default 64 */
  readonly maxSize?: number
  /**
   * Client config merged into every client, under the config given to `client()`
   * (shallow: a key of the call's config replaces the whole key here). Must not hold
   * `credentials`, nor `region` when the `region` option is set.
   * @default {}
   */
  readonly defaults?: Readonly<Record<string, unknown>>
  /**
   * Add the {@link expiredTokenRecovery} plugin to every client: a request failing with
   * `ExpiredToken`, `ExpiredTokenException`, `RequestExpired` or `TokenRefreshRequired` forces one refresh of the
   * shared provider (unless another request already replaced the key it was signed
   * with) and is sent once more. Unsigned requests are not retried. A streaming body
   * that was already read cannot be sent again, as with the SDK's own retries.
   * @default true
   */
  readonly recoverExpiredToken?: boolean
}

/**
 * Turns a refreshing provider into a factory of cached SDK clients that all sign with it.
 *
 * Caches one client per class and equal config (plain objects and arrays compared by
 * content in any key order; functions, symbols and class instances such as a request
 * handler by identity; a key holding `undefined` counts as missing), up to `maxSize`,
 * evicting and `destroy()`ing the least recently used. A client is built only on a miss,
 * with `{ region, ...defaults, ...config, credentials }`. Calls through to AWS only when
 * you send a command, and in `whoami()`; with `recoverExpiredToken`, a request rejected
 * for expired credentials forces one refresh of the provider (a burst of them still
 * refreshes once) and is retried once; a second failure is returned as it is. Does not
 * retry anything else (the SDK's own retry strategy does) and never caches answers.
 *
 * Clients a source uses internally (the STS client of `fromAssumeRole`) stay private to
 * it: they are never in a factory, and `clear()` does not touch them.
 *
 * @throws CredentialError `InvalidConfiguration` at once for bad options, a provider that
 * is not a `withRefresh` provider, or a `client()` config holding `credentials`;
 * `Closed` from `client()` and `whoami()` after `close()`. `whoami()` rejects with the
 * STS codes of `fromAssumeRole` (`StsRejected`, `NetworkError`, ...).
 * @example
 * ```ts
 * const clients = pipe(fromAssumeRole({ RoleArn }), withRefresh(), withClientCache({ region: 'eu-west-1' }))
 * const s3 = clients.client(S3Client)                        // the same instance on every call
 * const sts = clients.client(STSClient, { maxAttempts: 5 })
 * console.log((await clients.whoami()).Arn)                   // arn:aws:sts::…:assumed-role/…
 * clients.close()
 * ```
 * @category clients
 * @since 0.1.0
 */
export const withClientCache = (
  options?: WithClientCacheOptions,
): ((credentials: RefreshingProvider) => ClientFactory) => {
  const config = cacheConfig(options)
  return (credentials) => createFactory(checkProvider(SOURCE, credentials), config)
}

const createFactory = (credentials: RefreshingProvider, c: CacheConfig): ClientFactory => {
  const cache = createClientLru<SdkClient>(c.maxSize)
  const recovery = recoveryPlugin(credentials)
  let closed = false

  // A new client for the merged config, tracked and cached.
  const build = (ClientClass: SdkClientClass, config: Readonly<Record<string, unknown>>): SdkClient => {
    let created: SdkClient | undefined
    try {
      created = new ClientClass(...([{ ...config, credentials }] as never))
    } catch (e) {
      // A value that is not a function cannot be `new`ed either: reported below as not a class.
      if (typeof ClientClass === 'function')
        throw invalid(`client(): new ${ClientClass.name}() threw; see error.cause`, e)
    }
    // What the factory uses of a client; `destroy()` failing or missing is caught at eviction.
    if (typeof created?.middlewareStack?.add !== 'function')
      throw invalid(`client(): ${ClientClass?.name || kindOf(ClientClass)} is not an SDK v3 client class`)
    if (c.recoverExpiredToken) recovery.applyToStack(created.middlewareStack as MiddlewareStack<object, MetadataBearer>)
    cache.add(ClientClass, config, created, trackInflight(created))
    return created
  }

  // The hit path compares a plain config with the cached ones as if merged over the base,
  // allocating nothing. Anything else (no config, a config to reject, a miss) takes the
  // general path, which merges, validates and decides exactly.
  const client = <K extends SdkClientClass>(ClientClass: K, config?: ClientConfigOf<K>): InstanceType<K> => {
    if (closed) throw new CredentialError(`${SOURCE}: the factory is closed`, { code: 'Closed', source: SOURCE })
    const given = config === undefined ? NO_CONFIG : config
    const hit =
      isPlainRecord(given) && !('credentials' in given) ? cache.find(ClientClass, c.base, c.baseKeys, given) : undefined
    return (hit ?? miss(ClientClass, config)) as InstanceType<K>
  }
  const miss = (ClientClass: SdkClientClass, config: unknown): SdkClient => {
    const merged = mergeConfig(c.base, config)
    return cache.find(ClientClass, NO_CONFIG, [], merged) ?? build(ClientClass, merged)
  }

  return {
    client,
    whoami: createWhoami(client),
    credentials,
    get size() {
      return cache.size()
    },
    clear: cache.clear,
    close: () => {
      if (closed) return
      closed = true
      cache.clear()
      credentials.close()
    },
  }
}
