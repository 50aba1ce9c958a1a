import type { STSClient, STSClientConfig } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import type { SourceContext } from '../../types.js'
import { defined } from '../../internal/defined.js'
import { inheritedClientConfig } from '../../internal/callerConfig.js'
import { fallbackWarning, regionChain } from '../../internal/regionChain.js'
import type { Logger } from '../../internal/sdkLogger.js'
import { loadSts, type StsModule } from '../../internal/loadSts.js'

/**
 * Options shared by the STS sources.
 */
export type StsSourceOptions = {
  /**
   * The base credentials that sign the STS request: any provider, e.g. another
   * refreshing provider for role chaining.
   * @default the SDK's default credential chain
   */
  readonly source?: AwsCredentialIdentityProvider | undefined
  /**
   * The STS region.
   * @default `clientConfig.region`, the calling client's region, then the SDK's region chain
   * (`AWS_REGION`, the profile's `region` in the shared config file), then `us-east-1` (logged once at warn)
   */
  readonly region?: string | undefined
  /**
   * Config of the private `STSClient` (endpoint, requestHandler, maxAttempts, ...). What it
   * does not set is inherited from the SDK client that asks for credentials, as the SDK's
   * `fromTemporaryCredentials` does: `requestHandler`, `logger`, `userAgentAppId`, `profile`.
   * @default {}
   */
  readonly clientConfig?: STSClientConfig | undefined
  /**
   * The deadline of each STS request in milliseconds, signing and SDK retries included:
   * past it the request is aborted and the call fails with `Timeout` (retryable). The
   * SDK's HTTP handler has no timeout of its own, so without this a server that accepts
   * the connection and never answers would hold the call (and every caller waiting on a
   * refresh) forever. A number from 1 to 2^31-1.
   * @default 10000
   */
  readonly timeoutMs?: number | undefined
  /**
   * The SDK's `Logger` (`console` works): STS calls at debug, failures and the region
   * fallback at warn, never a secret. The private `STSClient` logs through it too, without
   * the commands' input and output (they hold the session token and MFA code).
   * @default `clientConfig.logger`, the calling client's logger, else none
   */
  readonly logger?: Logger | undefined
}

export type { StsModule }

/** What a source's private client gives a call. */
export type StsHandle = { readonly client: STSClient; readonly sts: StsModule; readonly logger: Logger | undefined }

/** A source's private STS client, created on first use and reused. */
export type LazyStsClient = {
  readonly get: (context?: SourceContext) => Promise<StsHandle>
  /** Destroys the client; a later `get` creates a new one. */
  readonly close: () => void
}

/**
 * The private client of one source, built at the first call with what that call's caller
 * passes (`context.callerClientConfig`). `@aws-sdk/client-sts` is imported only here, lazily.
 */
export const lazyStsClient = (options: StsSourceOptions, source: string): LazyStsClient => {
  let pending: Promise<StsHandle> | undefined
  const warnFallback = fallbackWarning(source)
  const create = async (context?: SourceContext): Promise<StsHandle> => {
    const sts = await loadSts(source, 'STS')
    const caller = context?.callerClientConfig
    const { config, ownLogger } = inheritedClientConfig(options.clientConfig ?? {}, options.logger, caller)
    // The region rule of every STS source: the option, the client config, the caller, the
    // SDK's region chain for the inherited profile, then us-east-1 with one warning.
    const region = await regionChain([options.region, config.region, caller?.region], config.profile, () =>
      warnFallback(ownLogger),
    )
    // `clientConfig.credentials` (in the inherited config) unless `source` is given. A call
    // carrying an MFA code makes one attempt (stsCall's oneAttempt, per command).
    const client = new sts.STSClient({ ...config, region, ...defined({ credentials: options.source }) })
    return { client, sts, logger: ownLogger }
  }
  return {
    get: (context) => {
      // Concurrent first calls share one creation; a failed creation is not kept.
      pending ??= create(context).catch((e: unknown) => {
        pending = undefined
        throw e
      })
      return pending
    },
    close: () => {
      void pending?.then(
        ({ client }) => client.destroy(),
        () => undefined,
      )
      pending = undefined
    },
  }
}
