import { CredentialError, isCredentialError, type CredentialErrorCode } from '../errors.js'
import { isNetworkError, isServerStatus, isThrottling, isTransient } from './isTransient.js'
import { describeError, redact } from './redact.js'

type SdkError = { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } }

const MFA_FAILED = /MultiFactorAuthentication failed/i

/** @internal An error caused by `signal`: `Timeout` when its reason is a timeout, `Aborted` otherwise. */
export const abortError = (source: string, signal: AbortSignal, cause?: unknown): CredentialError => {
  const reason: unknown = signal.reason
  if (isCredentialError(reason)) return reason
  const timeout = reason instanceof Error && reason.name === 'TimeoutError'
  const code: CredentialErrorCode = timeout ? 'Timeout' : 'Aborted'
  return new CredentialError(`${source}: the caller's signal ${timeout ? 'timed out' : 'aborted'} the STS request`, {
    code,
    source,
    cause: cause ?? reason,
  })
}

/**
 * @internal Maps what `STSClient.send` threw to a `CredentialError`. Messages hold the STS error code
 * and its message, redacted (some answers echo the request, e.g. SignatureDoesNotMatch's
 * canonical string with `x-amz-security-token`), but never a deserialized body.
 */
export const stsError = (error: unknown, source: string, action: string, signal?: AbortSignal): CredentialError => {
  if (isCredentialError(error)) return error
  if (signal?.aborted) return abortError(source, signal, error)
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError
  const name = typeof e.name === 'string' ? e.name : 'Error'
  const status = e.$metadata?.httpStatusCode
  const make = (code: CredentialErrorCode, message: string, retryable = false): CredentialError =>
    new CredentialError(`${source}: ${message}`, { code, source, cause: error, retryable, statusCode: status })
  if (name === 'AbortError') return make('Aborted', `the STS ${action} request was aborted`)
  if (status === undefined && (name === 'CredentialsProviderError' || name === 'ProviderError' || 'tryNextLink' in e))
    return make('SourceFailed', `no base credentials to sign ${action} (${describeError(error)}); set options.source`)
  if (status === undefined || isNetworkError(error))
    return make(
      'NetworkError',
      `could not reach STS for ${action} (${typeof e.code === 'string' ? e.code : name})`,
      true,
    )
  if (status >= 200 && status < 300) return make('SourceFailed', `unreadable STS answer to ${action}`, true)
  const detail = `${name}: ${typeof e.message === 'string' ? redact(e.message) : ''}`
  if (isThrottling(error)) return make('Throttled', `STS throttled ${action} (${detail})`, true)
  if (isServerStatus(status))
    return make('ServiceUnavailable', `STS failed ${action} with HTTP ${status} (${detail})`, true)
  if (name === 'AccessDenied' && typeof e.message === 'string' && MFA_FAILED.test(e.message))
    return make('MfaCodeInvalid', `STS refused the MFA code for ${action} (${detail})`)
  // A refusal is retryable only by its name (IDPCommunicationError); the SDK has already
  // retried what its clock-skew correction could fix.
  return make('StsRejected', `STS refused ${action} with HTTP ${status} (${detail})`, isTransient({ name }))
}
