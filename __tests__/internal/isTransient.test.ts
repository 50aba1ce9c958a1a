import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry'
import { CredentialError } from '../../lib/errors'
import { isExpiredToken, isThrottling, isTransient } from '../../lib/internal/isTransient'
import { stsError } from '../../lib/internal/stsErrors'
import { withRetry } from '../../lib/transforms/withRetry'

const named = (name: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(name), { name, ...extra })
const withCode = (code: string): Error => Object.assign(new Error(code), { code })
const withStatus = (status: number): Error =>
  Object.assign(new Error(String(status)), { name: 'SomeServiceError', $metadata: { httpStatusCode: status } })

// What the SDK's own retry strategy retries (its service-error classification).
const sdkRetries = (e: Error): boolean =>
  isThrottlingError(e as never) || isTransientError(e as never) || isServerError(e as never)

const cases: Error[] = [
  ...[
    'Throttling',
    'ThrottlingException',
    'RequestThrottled',
    'RequestThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'SlowDown',
    'PriorRequestNotComplete',
    'BandwidthLimitExceeded',
    'ProvisionedThroughputExceededException',
    'LimitExceededException',
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
    'AccessDenied',
    'ValidationError',
    'ExpiredToken',
    'AbortError',
  ].map((n) => named(n)),
  ...[
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ENOENT',
    'EACCES',
  ].map(withCode),
  ...[400, 403, 404, 429, 500, 502, 503, 504].map(withStatus),
  named('SomeError', { $retryable: {} }),
  named('SomeError', { $retryable: { throttling: true } }),
  named('Wrapper', { cause: withCode('ECONNRESET') }),
]

describe('isTransient', () => {
  it.each(cases.map((e) => [e.name === 'Error' ? (e as { code?: string }).code : e.name, e] as const))(
    "retries %s whenever the SDK's own classification does",
    (_, e) => {
      if (sdkRetries(e)) expect(isTransient(e)).toBe(true)
      else if (e.name !== 'SomeServiceError') expect(isTransient(e)).toBe(false)
    },
  )

  it('agrees with the SDK on throttling', () => {
    for (const e of cases) expect([e.name, isThrottling(e)]).toEqual([e.name, isThrottlingError(e as never)])
  })

  it('answers a CredentialError with its own retryable, and an abort is never transient', () => {
    expect(isTransient(new CredentialError('x', { code: 'Timeout', source: 's', retryable: true }))).toBe(true)
    expect(isTransient(new CredentialError('x', { code: 'StsRejected', source: 's' }))).toBe(false)
    expect(isTransient(named('AbortError', { $metadata: { httpStatusCode: 503 } }))).toBe(false)
    expect(isTransient(undefined)).toBe(false)
  })

  it('is what the STS mapping uses: RequestThrottled is Throttled and ENOTFOUND a NetworkError, both retryable', () => {
    expect(
      stsError(named('RequestThrottled', { $metadata: { httpStatusCode: 400 } }), 's', 'AssumeRole'),
    ).toMatchObject({ code: 'Throttled', retryable: true })
    expect(stsError(withCode('ENOTFOUND'), 's', 'AssumeRole')).toMatchObject({ code: 'NetworkError', retryable: true })
  })

  it('is what withRetry retries by default: RequestThrottled and ENOTFOUND are retried', async () => {
    for (const error of [named('RequestThrottled', { $metadata: { httpStatusCode: 400 } }), withCode('ENOTFOUND')]) {
      let calls = 0
      const source = async () => {
        calls += 1
        if (calls === 1) throw error
        return { accessKeyId: 'AKID', secretAccessKey: 'secret' }
      }
      await expect(withRetry({ baseMs: 0, maxMs: 0 })(source)()).resolves.toMatchObject({ accessKeyId: 'AKID' })
      expect(calls).toBe(2)
    }
  })

  it('answers false, never throws, for an error whose fields throw when read', () => {
    const getter = (): never => {
      throw new Error('getter')
    }
    const nested = named('SomeError', { $metadata: Object.defineProperty({}, 'httpStatusCode', { get: getter }) })
    const hostile = new Proxy({}, { get: getter })
    for (const test of [isTransient, isThrottling, isExpiredToken]) {
      expect(test(nested)).toBe(false)
      expect(test(hostile)).toBe(false)
    }
  })

  it('names the expired-token errors the client factory recovers from', () => {
    for (const name of ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'])
      expect(isExpiredToken(named(name))).toBe(true)
    expect(isExpiredToken({ Code: 'ExpiredToken' })).toBe(true)
    expect(isExpiredToken(named('AccessDenied'))).toBe(false)
  })
})
