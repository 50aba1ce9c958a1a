import type { STSClient, STSClientConfig } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import type { SourceContext } from '../types.js'

/**
 * Options shared by the STS sources.
 */
export type StsSourceOptions = {
  /**
   * The base credentials that sign the STS request: any provider, e.g. another
   * refreshing provider for role chaining.
   * @default the SDK's default credential chain
   */
  readonly source?: AwsCredentialIdentityProvider
  /** The STS region. @default `clientConfig.region`, the calling client's region, `AWS_REGION`, then `us-east-1` */
  readonly region?: string
  /** Config of the private `STSClient` (endpoint, requestHandler, maxAttempts, ...). @default {} */
  readonly clientConfig?: STSClientConfig
  /**
   * The deadline of each STS request in milliseconds, signing and SDK retries included:
   * past it the request is aborted and the call fails with `Timeout` (retryable). The
   * SDK's HTTP handler has no timeout of its own, so without this a server that accepts
   * the connection and never answers would hold the call (and every caller waiting on a
   * refresh) forever. A positive number up to 2^31-1.
   * @default 10000
   */
  readonly timeoutMs?: number
}

/** The `@aws-sdk/client-sts` module, loaded on first use only. */
export type StsModule = typeof import('@aws-sdk/client-sts')

/** A source's private STS client, created on first use and reused. */
export type LazyStsClient = {
  readonly get: (context?: SourceContext) => Promise<{ readonly client: STSClient; readonly sts: StsModule }>
  /** Destroys the client; a later `get` creates a new one. */
  readonly close: () => void
}

const configRegion = async (config: STSClientConfig | undefined): Promise<string | undefined> => {
  const r = config?.region
  return typeof r === 'function' ? await r() : r
}

/** The region rule of every STS source: option, client config, caller, environment, us-east-1. */
export const resolveRegion = async (options: StsSourceOptions, context?: SourceContext): Promise<string> =>
  options.region ??
  (await configRegion(options.clientConfig)) ??
  (context?.callerClientConfig ? await context.callerClientConfig.region() : undefined) ??
  (process.env['AWS_REGION'] || undefined) ??
  'us-east-1'

/** The private client of one source. `@aws-sdk/client-sts` is imported only here, lazily. */
export const lazyStsClient = (options: StsSourceOptions): LazyStsClient => {
  let pending: Promise<{ client: STSClient; sts: StsModule }> | undefined
  const create = async (context?: SourceContext): Promise<{ client: STSClient; sts: StsModule }> => {
    const sts = await import('@aws-sdk/client-sts')
    const region = await resolveRegion(options, context)
    const credentials = options.source ?? options.clientConfig?.credentials
    // A call carrying an MFA code makes one attempt (stsCall's oneAttempt, per command).
    const client = new sts.STSClient({ ...options.clientConfig, region, ...(credentials ? { credentials } : {}) })
    return { client, sts }
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
      const current = pending
      pending = undefined
      void current?.then(({ client }) => client.destroy(), () => undefined)
    },
  }
}
