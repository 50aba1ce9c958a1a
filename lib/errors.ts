import { CredentialsProviderError } from '@smithy/property-provider'

/**
 * The stable codes of {@link CredentialError}.
 *
 * @category errors
 * @since 0.1.0
 */
export type CredentialErrorCode =
  | 'InvalidConfiguration'
  | 'InvalidCredentials'
  | 'SourceFailed'
  | 'StsRejected'
  | 'IotRejected'
  | 'RolesAnywhereRejected'
  | 'MfaRequired'
  | 'MfaCodeInvalid'
  | 'MfaCodeReused'
  | 'Throttled'
  | 'ServiceUnavailable'
  | 'NetworkError'
  | 'TlsError'
  | 'Timeout'
  | 'Aborted'
  | 'Expired'
  | 'Closed'
  | 'PeerMissing'

/**
 * Options of {@link CredentialError}.
 *
 * @category errors
 * @since 0.1.0
 */
export interface CredentialErrorOptions {
  /** The code; see the README's error table. */
  readonly code: CredentialErrorCode
  /** The name of the source or transform that failed, e.g. `fromAssumeRole`. */
  readonly source: string
  /** The original error. */
  readonly cause?: unknown
  /** Whether a retry can fix it. @default false */
  readonly retryable?: boolean
  /** The HTTP status of the service answer, when there was one. */
  readonly statusCode?: number
}

/**
 * The one error class of this library. Extends smithy's `CredentialsProviderError` so the
 * SDK's `chain()` understands it; `tryNextLink` is false, so a configured source never
 * silently falls through to the next link. Messages never hold a secret.
 *
 * @example
 * ```ts
 * try { await credentials() } catch (e) { if (isCredentialError(e) && e.code === 'Timeout') retryLater() }
 * ```
 * @category errors
 * @since 0.1.0
 */
export class CredentialError extends CredentialsProviderError {
  override name = 'CredentialError' as const
  readonly code: CredentialErrorCode
  readonly source: string
  readonly retryable: boolean
  readonly statusCode: number | undefined
  declare readonly cause: unknown

  constructor(message: string, options: CredentialErrorOptions) {
    super(message, { tryNextLink: false })
    // smithy's constructors reset the prototype to their own class; restore ours.
    Object.setPrototypeOf(this, new.target.prototype)
    this.code = options.code
    this.source = options.source
    this.retryable = options.retryable ?? false
    this.statusCode = options.statusCode
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true, enumerable: false })
    }
  }
}

/**
 * True for a {@link CredentialError}, also one made by another copy of this package
 * (it compares `name` and `code`, not the class).
 *
 * @example
 * ```ts
 * if (isCredentialError(e, 'MfaCodeReused')) askAgain()
 * ```
 * @category errors
 * @since 0.1.0
 */
export const isCredentialError = (e: unknown, code?: CredentialErrorCode): e is CredentialError =>
  e instanceof Error &&
  e.name === 'CredentialError' &&
  typeof (e as { code?: unknown }).code === 'string' &&
  (code === undefined || (e as { code?: unknown }).code === code)
