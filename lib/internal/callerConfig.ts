import type { SourceContext } from '../types.js'
import { defined } from './defined.js'
import { privateClientLogger, type Logger } from './sdkLogger.js'

type Handler = {
  readonly handle: (...args: never[]) => unknown
  readonly destroy?: () => void
  readonly metadata?: { readonly handlerProtocol?: string } | undefined
  readonly updateHttpClientConfig?: (key: never, value: never) => void
  readonly httpHandlerConfigs?: () => unknown
}

/**
 * The caller's request handler, for a private client: the same sockets, proxy and agent,
 * but `destroy()` of the private client must not close the caller's handler. An HTTP/2
 * handler is not taken (STS and IoT speak HTTP/1.1), as in the SDK's `fromTemporaryCredentials`.
 */
const borrowHandler = (h: Handler | undefined): Handler | undefined =>
  typeof h?.handle === 'function' && h.metadata?.handlerProtocol !== 'h2'
    ? {
        handle: (...args: never[]) => h.handle(...args),
        destroy: () => undefined,
        metadata: h.metadata,
        updateHttpClientConfig: (key: never, value: never) => h.updateHttpClientConfig?.(key, value),
        httpHandlerConfigs: () => h.httpHandlerConfigs?.() ?? {},
      }
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
  const own = clientConfig as { readonly logger?: Logger; readonly requestHandler?: unknown; readonly profile?: string }
  const ownLogger = logger ?? own.logger ?? caller?.logger
  const requestHandler = own.requestHandler ?? borrowHandler(caller?.requestHandler)
  const profile = own.profile ?? caller?.profile
  const config = {
    ...defined({ userAgentAppId: caller?.userAgentAppId }),
    ...clientConfig,
    ...defined({ requestHandler, profile, logger: ownLogger && privateClientLogger(ownLogger) }),
  }
  return { config, ownLogger }
}
