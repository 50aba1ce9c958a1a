import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'

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
  /** The config of the SDK client that asked; sources read its region. */
  readonly callerClientConfig?: {
    readonly region: () => Promise<string>
    readonly profile?: string
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
export type Transformed<S extends CredentialSource> = S extends MfaCapableSource
  ? MfaCapableSource
  : CredentialSource

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
