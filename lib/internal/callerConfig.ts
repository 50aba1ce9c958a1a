import type { SourceContext } from '../types.js'
import { defined } from './defined.js'
import { privateClientLogger, type Logger } from './sdkLogger.js'

type Handler = {
  readonly handle: (...args: never[]) => unknown
  readonly metadata?: { readonly handlerProtocol?: string } | undefined
}

const keep = (): void => undefined

/**
 * The caller's request handler, for a private client: the same sockets, proxy and agent,
 * but `destroy()` of the private client must not close the caller's handler. A view of the
 * handler whose `destroy` does nothing; every other member is the handler's own, its methods
 * bound to it (so a handler with private fields works). An HTTP/2 handler is not taken (STS
 * and IoT speak HTTP/1.1), as in the SDK's `fromTemporaryCredentials`.
 */
const borrowHandler = (h: Handler | undefined): Handler | undefined =>
  typeof h?.handle === 'function' && h.metadata?.handlerProtocol !== 'h2'
    ? new Proxy(h, {
        get: (target, key): unknown => {
          if (key === 'destroy') return keep
          const member = (target as unknown as Record<PropertyKey, unknown>)[key]
          return typeof member === 'function' ? (member as () => unknown).bind(target) : member
        },
      })
    : undefined

/**
 * The config of a source's private SDK client: its own `clientConfig`, plus what the
 * calling client passes in `callerClientConfig` where the own config is silent, as the
 * SDK's `fromTemporaryCredentials` does: `requestHandler`, `logger`, `userAgentAppId`,
 * `profile`. The logger is the source's `logger` option first; the private client gets it
 * through {@link privateClientLogger}. `ownLogger` is what the source itself logs to.
 * @internal
 */
export const inheritedClientConfig = <C extends object>(
  clientConfig: C,
  logger: Logger | undefined,
  caller: SourceContext['callerClientConfig'],
): { readonly config: C & Record<string, unknown>; readonly ownLogger: Logger | undefined } => {
  const ownLogger = logger ?? (clientConfig as { readonly logger?: Logger }).logger ?? caller?.logger
  // The caller's values first, then every key the own config sets (one holding undefined is silent).
  const config = {
    ...defined({
      userAgentAppId: caller?.userAgentAppId,
      requestHandler: borrowHandler(caller?.requestHandler),
      profile: caller?.profile,
    }),
    ...defined(clientConfig),
    ...defined({ logger: ownLogger && privateClientLogger(ownLogger) }),
  } as C & Record<string, unknown>
  return { config, ownLogger }
}
