import { CredentialError } from '../../errors.js'
import type { AwsCredentialIdentityProvider, SourceContext } from '../../types.js'
import { inheritedClientConfig } from '../../internal/callerConfig.js'
import { regionChain, type RegionInput } from '../../internal/regionChain.js'
import { logTo, type Logger } from '../../internal/sdkLogger.js'

/**
 * Config of the private discovery `IoTClient`, as `@aws-sdk/client-iot`'s `IoTClientConfig`
 * takes it (endpoint, requestHandler, maxAttempts, ...). Declared here by shape, so the
 * types of this package do not need the optional `@aws-sdk/client-iot` installed.
 */
export type IotDiscoveryClientConfig = { readonly [option: string]: unknown }
import { describeError } from '../../internal/redact.js'
import { loadPeer } from '../../internal/loadPeer.js'
import { isThrottling, isTransient } from '../../internal/isTransient.js'

const SOURCE = 'fromIotCertificate'

export type DiscoveryOptions = {
  readonly region: string | undefined
  readonly credentials: AwsCredentialIdentityProvider | undefined
  readonly clientConfig: IotDiscoveryClientConfig | undefined
  readonly timeoutMs: number
  readonly logger: Logger | undefined
  /** The config of the SDK client that asked, inherited where the options are silent. */
  readonly caller: SourceContext['callerClientConfig']
  /** The source's one fallback warning (see `fallbackWarning`). */
  readonly warnFallback: (logger: Logger | undefined) => void
}

/** The few parts of `@aws-sdk/client-iot` used here: an optional peer, so no type of it is public. */
type IotModule = {
  readonly IoTClient: new (config: object) => {
    send: (command: object, options: { abortSignal: AbortSignal }) => Promise<{ endpointAddress?: string }>
    destroy: () => void
  }
  readonly DescribeEndpointCommand: new (input: { endpointType: string }) => object
}

// An optional peer: loaded by a computed name, so a bundle without it still builds.
const loadClient = (): Promise<IotModule> =>
  loadPeer<IotModule>('@aws-sdk/client-iot', { source: SOURCE, purpose: 'endpoint discovery (no endpoint given)' })

const failure = (e: unknown): CredentialError => {
  if (e instanceof CredentialError) return e
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  const code = isThrottling(e)
    ? 'Throttled'
    : status !== undefined && status < 500
      ? 'IotRejected'
      : isTransient(e)
        ? 'ServiceUnavailable'
        : 'SourceFailed'
  return new CredentialError(
    `${SOURCE}: IoT DescribeEndpoint (iot:CredentialProvider) failed: ${describeError(e)}; give endpoint to skip discovery`,
    {
      code,
      source: SOURCE,
      cause: e,
      retryable: isTransient(e),
      statusCode: status,
    },
  )
}

/**
 * Asks IoT DescribeEndpoint for the account's `iot:CredentialProvider` host name, with a
 * private IoTClient that is destroyed afterwards. `@aws-sdk/client-iot` is loaded only here.
 */
export const discoverEndpoint = async (o: DiscoveryOptions): Promise<string> => {
  const { IoTClient, DescribeEndpointCommand } = await loadClient()
  const { config, ownLogger } = inheritedClientConfig(o.clientConfig ?? {}, o.logger, o.caller)
  const region = await regionChain(
    [o.region, o.clientConfig?.region as RegionInput, o.caller?.region],
    config.profile as string | undefined,
    () => o.warnFallback(ownLogger),
  )
  const client = new IoTClient({
    ...(o.credentials !== undefined ? { credentials: o.credentials } : {}),
    ...config,
    region,
  })
  logTo(ownLogger, 'debug', `${SOURCE}: IoT DescribeEndpoint (iot:CredentialProvider) in ${region}`)
  try {
    const out = await client.send(new DescribeEndpointCommand({ endpointType: 'iot:CredentialProvider' }), {
      abortSignal: AbortSignal.timeout(o.timeoutMs),
    })
    if (!out.endpointAddress)
      throw new CredentialError(`${SOURCE}: IoT DescribeEndpoint returned no endpointAddress`, {
        code: 'SourceFailed',
        source: SOURCE,
      })
    return out.endpointAddress
  } catch (e) {
    throw failure(e)
  } finally {
    client.destroy()
  }
}
