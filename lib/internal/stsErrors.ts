import { CredentialError, isCredentialError, type CredentialErrorCode } from '../errors.js'
import { isNetworkError, isServerStatus, isThrottling, isTransient } from './isTransient.js'
import { describeError } from './redact.js'

type SdkError = { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } }

/** @internal An error caused by `signal`: `Timeout` when its reason is a timeout, `Aborted` otherwise. */
export const abortError = (source: string, signal: AbortSignal): CredentialError => {
  const reason: unknown = signal.reason
  if (isCredentialError(reason)) return reason
  // AbortSignal.timeout() aborts with a DOMException named TimeoutError.
  const timeout = (reason as Error | undefined)?.name === 'TimeoutError'
  return new CredentialError(`${source}: ${timeout ? 'timed out' : 'aborted'} by the caller's signal`, {
    code: timeout ? 'Timeout' : 'Aborted',
    source,
    cause: reason,
  })
}

/**
 * @internal Maps what `STSClient.send` threw to a `CredentialError` whose message is
 * `<source>: STS <action>: <what happened>`. Messages hold the STS error code and its
 * message, redacted (some answers echo the request, e.g. SignatureDoesNotMatch's canonical
 * string with `x-amz-security-token`), but never a deserialized body.
 * A caller's abort never comes here as the SDK's `AbortError`: the SDK is given a signal of
 * its own, aborted only once the call has already failed (see `sendSts`).
 */
export const stsError = (error: unknown, source: string, action: string): CredentialError => {
  if (isCredentialError(error)) return error
  // Object() gives {} for null and undefined, a wrapper without these fields for a primitive.
  const e = Object(error) as SdkError
  // Compared with string literals only, and named in a message when there is no code.
  const { name } = e
  const status = e.$metadata?.httpStatusCode
  const make = (code: CredentialErrorCode, what: string, retryable = false): CredentialError =>
    new CredentialError(`${source}: STS ${action}: ${what}`, {
      code,
      source,
      cause: error,
      retryable,
      statusCode: status,
    })
  // smithy's ProviderError (and its CredentialsProviderError) always has `tryNextLink`.
  if (status === undefined && 'tryNextLink' in e)
    return make('SourceFailed', `no base credentials (${describeError(error)}); set options.source`)
  if (status === undefined || isNetworkError(error))
    return make('NetworkError', `unreachable (${String(e.code ?? name ?? 'Error')})`, true)
  // A 2xx failure is a body the SDK could not read (e.g. cut off by a proxy).
  if (status < 300) return make('SourceFailed', 'unreadable answer', true)
  const answer = `HTTP ${status} ${describeError(error)}`
  if (isThrottling(error)) return make('Throttled', answer, true)
  if (isServerStatus(status)) return make('ServiceUnavailable', answer, true)
  if (name === 'AccessDenied' && /MultiFactorAuthentication failed/i.test(String(e.message)))
    return make('MfaCodeInvalid', answer)
  // A refusal is retryable only by its name (IDPCommunicationError); the SDK has already
  // retried what its clock-skew correction could fix.
  return make('StsRejected', answer, isTransient({ name }))
}
