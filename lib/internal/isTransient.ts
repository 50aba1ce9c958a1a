import { isCredentialError } from '../errors.js'

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'UND_ERR_SOCKET'])
const THROTTLING_NAMES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown', 'PriorRequestNotComplete'])
const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'IDPCommunicationError'])

type Foreign = {
  readonly name?: unknown
  readonly code?: unknown
  readonly $retryable?: unknown
  readonly $metadata?: { readonly httpStatusCode?: unknown }
}

/** True when the error says the service asked us to slow down. */
export const isThrottling = (e: unknown): boolean => {
  const f = (e ?? {}) as Foreign
  return THROTTLING_NAMES.has(String(f.name)) || f.$metadata?.httpStatusCode === 429 ||
    (typeof f.$retryable === 'object' && f.$retryable !== null && (f.$retryable as { throttling?: boolean }).throttling === true)
}

/**
 * True when a retry can fix the error: throttling, a 5xx answer, a network failure or a
 * timeout. A {@link CredentialError} answers with its own `retryable`.
 */
export const isTransient = (e: unknown): boolean => {
  if (isCredentialError(e)) return e.retryable
  if (e === null || typeof e !== 'object') return false
  const f = e as Foreign
  const status = f.$metadata?.httpStatusCode
  return f.$retryable !== undefined ||
    isThrottling(e) ||
    (typeof status === 'number' && status >= 500) ||
    TRANSIENT_NAMES.has(String(f.name)) ||
    TRANSIENT_CODES.has(String(f.code))
}
