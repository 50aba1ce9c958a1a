import { isCredentialError } from '../errors.js'

// The one classification of foreign errors. The lists are the SDK's own (its retry strategy's
// service-error classification, `@smithy/service-error-classification`, now in
// `@smithy/core/retry`), so withRetry retries what the SDK retries; a test checks that they
// agree. They are kept here rather than imported: that package pulls in most of
// `@smithy/core`, which the root entry must not load. Additions beyond the SDK are marked.
const words = (list: string): ReadonlySet<string> => new Set(list.split(' '))
const THROTTLING_NAMES = /* @__PURE__ */ words(
  'BandwidthLimitExceeded EC2ThrottledException LimitExceededException PriorRequestNotComplete ' +
    'ProvisionedThroughputExceededException RequestLimitExceeded RequestThrottled RequestThrottledException ' +
    'SlowDown ThrottledException Throttling ThrottlingException TooManyRequestsException TransactionInProgressException',
)
// The last five are beyond the SDK: 5xx-class service errors deserialized without a status, and
// STS's "the identity provider could not be reached" (AWS STS API reference, AssumeRoleWithWebIdentity).
const TRANSIENT_NAMES = /* @__PURE__ */ words(
  'TimeoutError RequestTimeout RequestTimeoutException ' +
    'InternalFailure InternalError ServiceUnavailable IDPCommunicationError IDPCommunicationErrorException',
)
// The last four are beyond the SDK: other socket failures Node and undici report.
const NETWORK_CODES = /* @__PURE__ */ words(
  'ECONNRESET ECONNREFUSED EPIPE ETIMEDOUT EHOSTUNREACH ENETUNREACH ENOTFOUND EAI_AGAIN ' +
    'ECONNABORTED ENETDOWN UND_ERR_SOCKET UND_ERR_CONNECT_TIMEOUT',
)
/**
 * The error codes that mean: the signing credentials have expired.
 * - `ExpiredToken` (S3, STS and the other XML services: "The provided token has expired"),
 * - `ExpiredTokenException` (the JSON services: "The security token included in the request is expired"),
 * - `RequestExpired` (AWS common errors: the request's signing date is too old),
 * - `TokenRefreshRequired` (S3: "The provided token must be refreshed"),
 * as listed in the Amazon S3 API Reference ("Error responses", list of error codes) and the
 * AWS common errors of the service API references.
 */
const EXPIRED_NAMES = /* @__PURE__ */ words('ExpiredToken ExpiredTokenException RequestExpired TokenRefreshRequired')
/** What this module reads of a foreign error. */
type Foreign = {
  readonly name?: unknown
  readonly code?: unknown
  readonly Code?: unknown
  readonly cause?: unknown
  readonly $retryable?: { readonly throttling?: unknown } | null
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly clockSkewCorrected?: unknown } | null
}

/**
 * A test of a foreign value that answers false where reading it throws (null, a throwing getter,
 * a Proxy); `depth` is isTransient's count of causes.
 */
const safely =
  (test: (e: Foreign, depth?: number) => boolean) =>
  (e: unknown, depth?: number): boolean => {
    try {
      return test(e as Foreign, depth)
    } catch {
      return false
    }
  }

/**
 * True for a 5xx status (the SDK's list is 500, 502, 503, 504; every 5xx is a server failure).
 * Compared as the SDK's `isServerError` does, without a type check: a missing status
 * (`undefined`) compares false.
 * @internal
 */
export const isServerStatus = (status: number): boolean => status >= 500 && status <= 599

/**
 * True when the error says the service asked us to slow down (a throttling name, HTTP 429, or the SDK's throttling trait).
 * @internal
 */
export const isThrottling = /* @__PURE__ */ safely(
  (e) =>
    THROTTLING_NAMES.has(e.name as string) || e.$metadata?.httpStatusCode === 429 || e.$retryable?.throttling === true,
)

/**
 * True for a socket-level failure (refused, reset, DNS, unreachable).
 * @internal
 */
export const isNetworkError = /* @__PURE__ */ safely((e) => NETWORK_CODES.has(e.code as string))

/**
 * True when an SDK error says the request's credentials have expired (the client factory's recovery).
 * @internal
 */
export const isExpiredToken = /* @__PURE__ */ safely((e) =>
  [e.name, e.Code, e.code].some((v) => EXPIRED_NAMES.has(v as string)),
)

/**
 * True when a retry can fix the error: throttling, a 5xx answer, a network failure or a
 * timeout, also when one of its causes is (up to 10 deep); never an abort. A
 * {@link CredentialError} answers with its own `retryable`. A value with none of `name`,
 * `code` and `$metadata` (not an error) is not transient.
 * @internal
 */
export const isTransient = /* @__PURE__ */ safely((e, depth = 0) => {
  if (isCredentialError(e)) return e.retryable
  const { name, $metadata } = e
  if ((name ?? e.code ?? $metadata) == null || name === 'AbortError') return false
  return (
    e.$retryable !== undefined ||
    isThrottling(e) ||
    isServerStatus($metadata?.httpStatusCode as number) ||
    $metadata?.clockSkewCorrected === true ||
    TRANSIENT_NAMES.has(name as string) ||
    isNetworkError(e) ||
    (depth < 10 && isTransient(e.cause, depth + 1))
  )
})
