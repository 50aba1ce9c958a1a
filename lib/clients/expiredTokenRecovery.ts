// Expired-token recovery for any v3 client, as a smithy plugin.
//
// Where it sits in the SDK's middleware stack, and why: smithy resolves the identity in
// the `serialize` step (httpAuthSchemeMiddleware, which stores it in the context) and signs
// in `finalizeRequest`, after the SDK's own retry middleware. (Today's SigV4 signer also
// re-reads the credentials provider when it signs, but that is an implementation detail.)
// The recovery middleware sits in `initialize`, so its one retry runs serialization,
// identity resolution and signing again and picks up the refreshed credentials under
// either design. A second, tiny middleware in `deserialize` (after signing) keeps the
// request that was really signed; when it fails, the access key id in its Authorization
// header tells whether the provider has already replaced that key, so such a request does
// not force another refresh.
//
// State is per request, never per handler context: with the client option
// `cacheMiddleware: true` the SDK builds one handler (and one context object) per command
// class and reuses it for every request, concurrent ones included. The recovery puts a
// small record into the request's own `args` (smithy's middlewares pass args on with
// `{ ...args, request }`, which keeps it), and the recorder writes the signed request there.
import type {
  DeserializeMiddleware,
  InitializeMiddleware,
  MetadataBearer,
  MiddlewareStack,
  Pluggable,
} from '@smithy/types'
import { isExpiredToken } from '../internal/isTransient.js'
import { check, kindOf } from '../internal/validate.js'
import type { RefreshingProvider } from '../types.js'

/** `Credential=AKID/20250101/us-east-1/sts/aws4_request` in a SigV4 (or SigV4a) Authorization header. */
const CREDENTIAL = /Credential=([^/,\s]+)\//

export const RECOVERY_MIDDLEWARE = 'awsRefreshSessionExpiredTokenRecovery'
export const SIGNED_KEY_MIDDLEWARE = 'awsRefreshSessionSignedKeyRecorder'

/** The per-request record, carried in the request's args under this key. */
const SLOT: unique symbol = Symbol(SIGNED_KEY_MIDDLEWARE)
type Slot = { request?: unknown }
type SlottedArgs = { [SLOT]?: Slot; readonly request?: unknown }

/** The access key id that signed `request`, read from its Authorization header. */
export const signedKeyId = (request: unknown): string | undefined => {
  const headers = (request as { headers?: Record<string, unknown> } | undefined)?.headers
  // A missing header reads "undefined", which holds no credential scope.
  return CREDENTIAL.exec(String(headers?.['authorization'] ?? headers?.['Authorization']))?.[1]
}

/**
 * `provider` is a `withRefresh` provider (a function with `current()` and `close()`), which
 * both the plugin and the factory need; throws `InvalidConfiguration` of `source` otherwise.
 */
export const checkProvider = (source: string, provider: unknown): RefreshingProvider => {
  const methods = provider as { readonly current?: unknown; readonly close?: unknown }
  check(
    source,
    typeof provider === 'function' && typeof methods.current === 'function' && typeof methods.close === 'function',
    'the provider',
    'a withRefresh provider',
    kindOf(provider),
  )
  return provider as RefreshingProvider
}

/**
 * A plugin for any AWS SDK v3 client that recovers from expired credentials: a request
 * that fails with `ExpiredToken`, `ExpiredTokenException`, `RequestExpired` or
 * `TokenRefreshRequired`, and was signed with a key, forces one refresh of `provider`
 * (unless another request already replaced that key) and is sent once more; a second
 * failure is returned as it is, and so is any other error. A burst of such failures
 * refreshes once (the provider's one refresh in flight is shared). Unsigned requests are
 * not retried, nor is a streaming body that was already read, as with the SDK's own retries.
 *
 * Caches nothing; its state is per request, so it is correct with the client option
 * `cacheMiddleware: true` and concurrent requests. `withClientCache` adds the same plugin.
 * Give the client the same provider as its `credentials`.
 *
 * @throws CredentialError `InvalidConfiguration` at once when `provider` is not a
 * `withRefresh` provider. A request whose forced refresh fails rejects with the refresh's
 * `CredentialError`.
 * @example
 * ```ts
 * const credentials = pipe(fromAssumeRole({ RoleArn }), withRefresh())
 * const s3 = new S3Client({ credentials, cacheMiddleware: true })
 * s3.middlewareStack.use(expiredTokenRecovery(credentials))
 * ```
 * @category clients
 * @since 0.2.0
 */
export const expiredTokenRecovery = (provider: RefreshingProvider): Pluggable<object, MetadataBearer> =>
  recoveryPlugin(checkProvider('expiredTokenRecovery', provider))

/** The plugin of {@link expiredTokenRecovery} for a provider already checked (`withClientCache` checks its own). */
export const recoveryPlugin = (provider: RefreshingProvider): Pluggable<object, MetadataBearer> => {
  const recovery: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
    const slot: Slot = {}
    try {
      return await next({ ...args, [SLOT]: slot } as typeof args)
    } catch (e) {
      const keyId = signedKeyId(slot.request)
      if (keyId === undefined || !isExpiredToken(e)) throw e
      // One forced refresh, unless the provider already holds another key (another request
      // refreshed it); concurrent forced calls join its one refresh in flight.
      const current = provider.current()?.accessKeyId
      if (current === undefined || current === keyId) await provider({ forceRefresh: true })
      return next(args)
    }
  }
  // The signed request, read only if the request fails.
  const recorder: DeserializeMiddleware<object, MetadataBearer> = (next) => (args) => {
    const slot = (args as SlottedArgs)[SLOT]
    if (slot !== undefined) slot.request = args.request
    return next(args)
  }
  return {
    applyToStack: (stack: MiddlewareStack<object, MetadataBearer>) => {
      stack.add(recovery, { step: 'initialize', priority: 'low', name: RECOVERY_MIDDLEWARE, override: true })
      stack.add(recorder, { step: 'deserialize', priority: 'low', name: SIGNED_KEY_MIDDLEWARE, override: true })
    },
  }
}
