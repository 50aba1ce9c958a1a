import { CredentialError, isCredentialError, type CredentialErrorCode } from '../errors.js'
import { isNetworkError, isServerStatus, isThrottling, isTransient } from './isTransient.js'
import { describeError } from './redact.js'

type SdkError = { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } }

/** @internal An error caused by `signal`: `Timeout` when its reason is a timeout, `Aborted` otherwise. */
export const abortError = (source: string, signal: AbortSignal): CredentialError => {
  const reason: unknown = signal.reason
  if (isCredentialError(reason)) return reason
  const timeout = reason instanceof Error && reason.name === 'TimeoutError'
  return new CredentialError(`${source}: ${timeout ? 'timed out' : 'aborted'} by the caller's signal`, {
    code: timeout ? 'Timeout' : 'Aborted',
    source,
    cause: reason,
  })
}

/** What an answer with an HTTP status is: a code by the error's name and status. */
const refusal = (error: unknown, name: string, status: number): CredentialErrorCode =>
  isThrottling(error)
    ? 'Throttled'
    : isServerStatus(status)
      ? 'ServiceUnavailable'
      : name === 'AccessDenied' && /MultiFactorAuthentication failed/i.test(String((error as SdkError).message))
        ? 'MfaCodeInvalid'
        : 'StsRejected'

/**
 * @internal Maps what `STSClient.send` threw to a `CredentialError` whose message is
 * `<source>: STS <action>: <what happened>`. Messages hold the STS error code and its
 * message, redacted (some answers echo the request, e.g. SignatureDoesNotMatch's canonical
 * string with `x-amz-security-token`), but never a deserialized body.
 */
export const stsError = (error: unknown, source: string, action: string): CredentialError => {
  if (isCredentialError(error)) return error
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError
  const name = typeof e.name === 'string' ? e.name : 'Error'
  const status = e.$metadata?.httpStatusCode
  const make = (code: CredentialErrorCode, what: string, retryable: boolean): CredentialError =>
    new CredentialError(`${source}: STS ${action}: ${what}`, { code, source, cause: error, retryable, statusCode: status })
  if (name === 'AbortError') return make('Aborted', 'aborted', false)
  // smithy's ProviderError (and its CredentialsProviderError) always has `tryNextLink`.
  if (status === undefined && 'tryNextLink' in e)
    return make('SourceFailed', `no base credentials (${describeError(error)}); set options.source`, false)
  if (status === undefined || isNetworkError(error))
    return make('NetworkError', `unreachable (${typeof e.code === 'string' ? e.code : name})`, true)
  // A 2xx failure is a body the SDK could not read (e.g. cut off by a proxy).
  if (status < 300) return make('SourceFailed', 'unreadable answer', true)
  const code = refusal(error, name, status)
  // A refusal is retryable only by its name (IDPCommunicationError); the SDK has already
  // retried what its clock-skew correction could fix.
  return make(
    code,
    `HTTP ${status} ${describeError(error)}`,
    code === 'StsRejected' ? isTransient({ name }) : code !== 'MfaCodeInvalid',
  )
}
