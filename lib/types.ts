import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  Logger,
  MetadataBearer,
  MiddlewareStack,
  RequestHandler,
} from '@smithy/types'

export type { AwsCredentialIdentity, AwsCredentialIdentityProvider }

/**
 * What a caller passes to a source or provider. It extends what SDK clients pass
 * (`forceRefresh`, `callerClientConfig`) with cancellation and a one-time MFA code.
 *
 * A type alias rather than an interface on purpose: aliases are assignable to the SDK's
 * `Record<string, any>` parameter, so SDK providers can be the `self` of a transform.
 *
 * @category model
 * @since 0.1.0
 */
export type SourceContext = {
  /** Skip every cache and fetch new credentials. */
  readonly forceRefresh?: boolean
  /**
   * The config of the SDK client that asked. Sources read its region, and their private
   * clients inherit its `requestHandler`, `logger`, `userAgentAppId` and `profile`.
   */
  readonly callerClientConfig?: {
    readonly region: () => Promise<string>
    readonly profile?: string
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's own type (AwsIdentityProperties)
    readonly requestHandler?: RequestHandler<any, any>
    readonly logger?: Logger
    readonly userAgentAppId?: () => Promise<string | undefined>
  }
  /** Aborts the fetch (see `withTimeout`). */
  readonly signal?: AbortSignal
  /** A one-time MFA code, set by `withMfa` for the one request it was asked for. */
  readonly mfa?: { readonly serialNumber: string; readonly tokenCode: string }
}

/**
 * An un-cached credential fetch: every call asks the underlying service.
 * Assignable to the SDK's `AwsCredentialIdentityProvider`, and every SDK provider is one.
 *
 * A source that holds resources (an STS client, a TLS agent) has `close()` to release
 * them; transforms pass it on, and a provider's `close()` calls it.
 *
 * @category model
 * @since 0.1.0
 */
export type CredentialSource = ((context?: SourceContext) => Promise<AwsCredentialIdentity>) & {
  readonly close?: () => void
}

/**
 * A source that can send an MFA code (STS AssumeRole and GetSessionToken).
 * `mfaSerialNumber` is the serial configured on the source, if any.
 * Only these sources are accepted by `withMfa`.
 *
 * @category model
 * @since 0.1.0
 */
export type MfaCapableSource = CredentialSource & {
  readonly mfaSerialNumber: string | undefined
}

/**
 * What a transform that does not change MFA capability returns for `S`:
 * an MFA-capable source stays MFA-capable.
 *
 * @category model
 * @since 0.1.0
 */
export type Transformed<S extends CredentialSource> = S extends MfaCapableSource ? MfaCapableSource : CredentialSource

/**
 * A memoized, self-refreshing provider: what `withRefresh` returns.
 *
 * @category model
 * @since 0.1.0
 */
export type RefreshingProvider = CredentialSource & {
  /** Tells SDK clients not to wrap this provider in their own cache. */
  memoized: true
  /** The cached credentials, or `undefined`; never does I/O. */
  readonly current: () => AwsCredentialIdentity | undefined
  /** Drops the cached value: the next call fetches and waits. */
  readonly invalidate: () => void
  /** Clears the background timer; calls still work, without background refresh. */
  readonly close: () => void
}

/**
 * What the client factory needs of an SDK client. Every v3 client (`S3Client`,
 * `STSClient`, `DynamoDBClient`, ...) is one.
 *
 * @category clients
 * @since 0.1.0
 */
export type SdkClient = {
  readonly middlewareStack: Pick<MiddlewareStack<object, MetadataBearer>, 'add'>
  readonly destroy: () => void
}

/**
 * An SDK client class, e.g. `S3Client`: what `ClientFactory.client` accepts.
 *
 * @example
 * ```ts
 * const perConfig = <K extends SdkClientClass>(ClientClass: K, configs: readonly ClientConfigOf<K>[]): InstanceType<K>[] =>
 *   configs.map((config) => clients.client(ClientClass, config))
 * const [eu, us] = perConfig(S3Client, [{ region: 'eu-west-1' }, { region: 'us-east-1' }])
 * ```
 * @category clients
 * @since 0.1.0
 */
export type SdkClientClass<C extends SdkClient = SdkClient> = new (...args: never) => C

/**
 * The config `ClientFactory.client(ClientClass, config)` accepts for `ClientClass`: its
 * constructor's config without `credentials` (the factory supplies them). For wrapper
 * libraries: `(config?: ClientConfigOf<typeof S3Client>) => clients.client(S3Client, config)`.
 *
 * @example
 * ```ts
 * const s3Config: ClientConfigOf<typeof S3Client> = { region: 'eu-west-1', maxAttempts: 5 }
 * ```
 * @category clients
 * @since 0.1.0
 */
export type ClientConfigOf<K> = K extends new (...args: infer A) => unknown
  ? Omit<NonNullable<A[0]>, 'credentials'>
  : never

/**
 * Who the factory's credentials belong to: STS GetCallerIdentity's answer.
 *
 * @category clients
 * @since 0.1.0
 */
export type CallerIdentity = {
  /** The 12-digit account id. */
  readonly Account: string
  /** The caller's ARN, e.g. `arn:aws:sts::123456789012:assumed-role/app/session`. */
  readonly Arn: string
  /** The unique id of the caller, e.g. `AROA…:session`. */
  readonly UserId: string
}

/**
 * Cached SDK clients that share one refreshing provider: what `withClientCache` returns.
 *
 * @example
 * ```ts
 * const clients: ClientFactory = pipe(fromAssumeRole({ RoleArn }), withRefresh(), withClientCache({ region: 'eu-west-1' }))
 * const s3 = clients.client(S3Client, { maxAttempts: 5 }) // S3Client, config type-checked as S3ClientConfig
 * ```
 * @category clients
 * @since 0.1.0
 */
export type ClientFactory = {
  /**
   * The cached client of `ClientClass` for `config` (equal configs in any key order give
   * the same instance), built on a miss with the factory's `credentials`.
   */
  readonly client: <K extends SdkClientClass>(ClientClass: K, config?: ClientConfigOf<K>) => InstanceType<K>
  /** STS GetCallerIdentity signed with the factory's credentials, through its cached `STSClient`. */
  readonly whoami: () => Promise<CallerIdentity>
  /** The provider every client of this factory signs with. */
  readonly credentials: RefreshingProvider
  /** How many clients are cached. */
  readonly size: number
  /** Destroys and forgets every cached client; the factory stays usable. */
  readonly clear: () => void
  /** `clear()`, then the provider's `close()`; `client()` and `whoami()` then throw `Closed`. */
  readonly close: () => void
}
