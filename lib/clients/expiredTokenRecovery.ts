// Expired-token recovery for the clients of one factory.
//
// Where it sits in the SDK's middleware stack, and why: smithy resolves the identity in
// the `serialize` step (httpAuthSchemeMiddleware, which stores it in the context) and signs
// in `finalizeRequest`, after the SDK's own retry middleware. (Today's SigV4 signer also
// re-reads the credentials provider when it signs, but that is an implementation detail.)
// The recovery middleware sits in `initialize`, so its one retry runs serialization,
// identity resolution and signing again and picks up the refreshed credentials under
// either design. A second, tiny middleware in `deserialize` (after signing) reads the
// access key id that really signed the request, so a request that failed with a key the
// provider has already replaced does not force another refresh.
import type { DeserializeMiddleware, InitializeMiddleware, MetadataBearer } from '@smithy/types'
import { isExpiredToken } from '../internal/isTransient.js'
import type { RefreshingProvider, SdkClient } from '../types.js'

/** `Credential=AKID/20250101/us-east-1/sts/aws4_request` in a SigV4 (or SigV4a) Authorization header. */
const CREDENTIAL = /Credential=([^/,\s]+)\//

export const RECOVERY_MIDDLEWARE = 'awsRefreshSessionExpiredTokenRecovery'
export const SIGNED_KEY_MIDDLEWARE = 'awsRefreshSessionSignedKeyRecorder'

/** True when an SDK error says the request's credentials have expired. */
export const isExpiredTokenError = isExpiredToken

/** The access key id that signed `request`, read from its Authorization header. */
export const signedKeyId = (request: unknown): string | undefined => {
  const headers = (request as { headers?: Record<string, unknown> } | undefined)?.headers
  const auth = headers?.['authorization'] ?? headers?.['Authorization']
  return typeof auth === 'string' ? CREDENTIAL.exec(auth)?.[1] : undefined
}

/**
 * What a failed request does about its key: force one refresh of the shared provider,
 * unless the provider already holds another key (someone else refreshed it). Concurrent
 * forced calls join the provider's one refresh in flight, so a burst refreshes once.
 */
export const createRecovery =
  (provider: RefreshingProvider) =>
  async (failedKeyId: string): Promise<void> => {
    const current = provider.current()?.accessKeyId
    if (current !== undefined && current !== failedKeyId) return
    await provider({ forceRefresh: true })
  }

/**
 * Adds the recovery to `client`: a request that fails with an expired-token error, and was
 * signed with a key, gets `recover(key)` and is sent once more; a second failure is
 * returned as it is, and so is any other error. A failed refresh rejects with its
 * `CredentialError`. Unsigned requests (no SigV4 Authorization header) are not retried.
 */
export const addExpiredTokenRecovery = (client: SdkClient, recover: (failedKeyId: string) => Promise<void>): void => {
  const signedWith = new WeakMap<object, string>()
  const recovery: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    try {
      return await next(args)
    } catch (e) {
      const keyId = signedWith.get(context)
      if (keyId === undefined || !isExpiredTokenError(e)) throw e
      signedWith.delete(context)
      await recover(keyId)
      return next(args)
    }
  }
  const recorder: DeserializeMiddleware<object, MetadataBearer> = (next, context) => (args) => {
    const keyId = signedKeyId(args.request)
    if (keyId !== undefined) signedWith.set(context, keyId)
    return next(args)
  }
  client.middlewareStack.add(recovery, { step: 'initialize', priority: 'low', name: RECOVERY_MIDDLEWARE, override: true })
  client.middlewareStack.add(recorder, { step: 'deserialize', priority: 'low', name: SIGNED_KEY_MIDDLEWARE, override: true })
}
