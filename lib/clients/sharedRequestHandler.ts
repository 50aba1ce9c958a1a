// One HTTP handler, so one connection pool, for every STS client of a role pool. Each role's
// `fromAssumeRole` builds its own STSClient and `destroy()`s it; a client's `destroy()` also
// destroys its request handler (and with it every socket of its agent), so the clients get a
// facade whose `destroy()` does nothing, and the pool destroys the real handler at its close.
import type { STSClient, STSClientConfig } from '@aws-sdk/client-sts'
import { loadSts } from '../internal/loadSts.js'

type Handler = NonNullable<STSClientConfig['requestHandler']>
type Handle = { readonly handle: (request: unknown, options?: unknown) => Promise<unknown> }

const hasHandle = (v: unknown): v is Handle => typeof (v as Partial<Handle> | undefined)?.handle === 'function'

/**
 * The pool's request handler: the caller's own handler instance when `clientConfig` holds
 * one (it stays the caller's: never destroyed here), else the SDK's default Node handler
 * built once, lazily, from `clientConfig.requestHandler` options, as an STSClient builds it.
 */
export const sharedRequestHandler = (
  clientConfig: STSClientConfig | undefined,
): { readonly handler: Handler; readonly destroy: () => void } => {
  const given: unknown = clientConfig?.requestHandler
  let owner: Promise<STSClient> | undefined
  const real = async (): Promise<Handle> => {
    if (hasHandle(given)) return given
    // An STSClient built with the pool's handler options owns the one real handler.
    owner ??= loadSts('withRolePool', 'the shared STS connection pool').then(
      (sts) =>
        new sts.STSClient(
          clientConfig?.requestHandler === undefined ? {} : { requestHandler: clientConfig.requestHandler },
        ),
    )
    return (await owner).config.requestHandler as unknown as Handle
  }
  const facade = {
    handle: async (request: unknown, options?: unknown) => (await real()).handle(request, options),
    // Each STSClient sets its logger and socket timeout defaults here; the real handler has its own.
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  }
  return {
    handler: facade,
    destroy: () => {
      const current = owner
      owner = undefined
      void current?.then(
        (client) => client.destroy(),
        () => undefined,
      )
    },
  }
}
