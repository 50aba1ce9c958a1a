import { CredentialsProviderError } from '@smithy/property-provider'
import { hide, REDACTED, redactCause } from './internal/redact.js'

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
  /** The original error; stored as a redacted copy (see {@link originalCause}). */
  readonly cause?: unknown
  /** Whether a retry can fix it. @default false */
  readonly retryable?: boolean
  /** The HTTP status of the service answer, when there was one. */
  readonly statusCode?: number | undefined
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
  declare readonly code: CredentialErrorCode
  declare readonly source: string
  declare readonly retryable: boolean
  declare readonly statusCode: number | undefined
  declare readonly cause: unknown

  constructor(message: string, options: CredentialErrorOptions) {
    super(message, { tryNextLink: false })
    // smithy's constructors reset the prototype to their own class; restore ours.
    Object.setPrototypeOf(this, new.target.prototype)
    this.code = options.code
    this.source = options.source
    this.retryable = options.retryable ?? false
    this.statusCode = options.statusCode
    const { cause } = options
    hide(this, REDACTED, true)
    if (cause !== undefined) {
      // `cause` is what loggers print (util.inspect follows it, and every cause below it):
      // a redacted copy. The original is kept behind a non-enumerable symbol-keyed getter,
      // which neither util.inspect nor JSON.stringify reads.
      hide(this, 'cause', redactCause(cause))
      Object.defineProperty(this, ORIGINAL_CAUSE, { get: () => cause, configurable: true })
    }
  }
}

const ORIGINAL_CAUSE = Symbol.for('aws-refresh-session.originalCause')

/**
 * The unredacted original of `error.cause`, for debugging: a `CredentialError` stores a
 * redacted copy as `cause` (secret-looking text masked, SDK response bodies dropped) so that
 * `console.error(err)` and loggers print nothing secret. Do not log what this returns.
 *
 * @returns the value given as `cause` when the error was built, or undefined
 * @example
 * ```ts
 * try { await credentials() } catch (e) { if (isCredentialError(e)) console.debug(originalCause(e)) }
 * ```
 * @category errors
 * @since 0.2.0
 */
export const originalCause = (error: CredentialError): unknown =>
  typeof error === 'object' && error !== null
    ? (error as unknown as Record<symbol, unknown>)[ORIGINAL_CAUSE]
    : undefined

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
  (code === undefined ? typeof (e as { code?: unknown }).code === 'string' : (e as { code?: unknown }).code === code)
