import { pipe } from 'fp-ts/function'
import { CredentialError } from '../../lib/errors'
import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { withMfa } from '../../lib/transforms/withMfa'
import { withRetry } from '../../lib/transforms/withRetry'
import type { AwsCredentialIdentity, CredentialSource, MfaCapableSource } from '../../lib/types'

const SERIAL = 'arn:aws:iam::123456789012:mfa/me'

const creds: AwsCredentialIdentity = { accessKeyId: 'AKIA', secretAccessKey: 'secret' }
const throttled = (): CredentialError =>
  new CredentialError('slow down', { code: 'Throttled', source: 'fake', retryable: true })
const rejected = (): CredentialError => new CredentialError('denied', { code: 'StsRejected', source: 'fake' })

/** A source failing with the given errors in turn, then succeeding. */
const failingThen = (...errors: unknown[]) => {
  const fn = jest.fn(async () => {
    const e = errors.shift()
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- some tests throw non-Error values on purpose
    if (e !== undefined) throw e
    return creds
  })
  return fn
}

beforeEach(() => jest.useFakeTimers())
afterEach(() => jest.useRealTimers())

describe('withRetry', () => {
  it('retries errors a retry can fix, with jittered exponential back-off, then succeeds', async () => {
    const source = failingThen(throttled(), throttled(), throttled())
    const p = withRetry({ baseMs: 100, random: () => 1 })(source)()
    await jest.advanceTimersByTimeAsync(99)
    expect(source).toHaveBeenCalledTimes(1)
    await jest.advanceTimersByTimeAsync(1)
    expect(source).toHaveBeenCalledTimes(2)
    await jest.advanceTimersByTimeAsync(200)
    expect(source).toHaveBeenCalledTimes(3)
    await jest.advanceTimersByTimeAsync(400)
    await expect(p).resolves.toBe(creds)
    expect(source).toHaveBeenCalledTimes(4)
  })

  it('does not retry an error that a retry cannot fix', async () => {
    const source = failingThen(rejected())
    await expect(withRetry()(source)()).rejects.toMatchObject({ code: 'StsRejected' })
    expect(source).toHaveBeenCalledTimes(1)
  })

  it('recognises SDK and network errors as retryable and wraps them as SourceFailed at the end', async () => {
    const sdkThrottle = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    })
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    const server = Object.assign(new Error('oops'), { $metadata: { httpStatusCode: 503 } })
    const source = failingThen(sdkThrottle, reset, server)
    const p = withRetry({ retries: 2, baseMs: 1 })(source)().catch((e: unknown) => e)
    await jest.runAllTimersAsync()
    expect(await p).toMatchObject({ code: 'SourceFailed', cause: server })
    expect(source).toHaveBeenCalledTimes(3)
  })

  it('gives up after `retries` retries with the last error', async () => {
    const source = failingThen(throttled(), throttled(), throttled(), throttled(), throttled())
    const p = withRetry({ retries: 2, baseMs: 1 })(source)().catch((e: unknown) => e)
    await jest.runAllTimersAsync()
    expect(await p).toMatchObject({ code: 'Throttled' })
    expect(source).toHaveBeenCalledTimes(3)
  })

  it('uses a custom isRetryable predicate', async () => {
    const source = failingThen(rejected())
    const p = withRetry({ isRetryable: (e) => (e as CredentialError).code === 'StsRejected', baseMs: 1 })(source)()
    await jest.runAllTimersAsync()
    await expect(p).resolves.toBe(creds)
  })

  it('stops waiting when the caller aborts during the back-off', async () => {
    const source = failingThen(throttled(), throttled())
    const controller = new AbortController()
    const p = withRetry({ baseMs: 10_000 })(source)({ signal: controller.signal }).catch((e: unknown) => e)
    await jest.advanceTimersByTimeAsync(1)
    controller.abort()
    expect(await p).toMatchObject({ code: 'Aborted' })
    expect(source).toHaveBeenCalledTimes(1)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('keeps close() and the source name through the wrap', () => {
    const close = jest.fn()
    const source = Object.assign(
      async function fromAssumeRole() {
        return creds
      },
      { mfaSerialNumber: 'arn:aws:iam::1:mfa/me', close },
    ) as MfaCapableSource
    const wrapped = withRetry()(source)
    expect(wrapped.name).toBe('fromAssumeRole')
    wrapped.close?.()
    expect(close).toHaveBeenCalled()
  })

  it('is not MFA-capable, so withMfa goes before it (a type error after it)', () => {
    const source = fromAssumeRole({ RoleArn: 'arn:aws:iam::123456789012:role/r', SerialNumber: SERIAL })
    const outside: CredentialSource = pipe(
      source,
      withMfa(() => '123456'),
      withRetry(),
    )
    const inside = pipe(
      source,
      // @ts-expect-error -- each retry would resend the code withMfa asked for once
      withRetry(),
      withMfa(() => '123456'),
    )
    expect([outside, inside]).toHaveLength(2)
    source.close?.()
  })

  it('never retries a call that carries context.mfa (JavaScript or a cast): the first failure is thrown', async () => {
    const source = Object.assign(failingThen(throttled(), throttled()), {
      mfaSerialNumber: SERIAL,
    }) as MfaCapableSource & jest.Mock
    const codes = jest.fn(() => '123456')
    const bypass = withMfa(codes)(withRetry({ baseMs: 1 })(source) as MfaCapableSource)
    const p = bypass().catch((e: unknown) => e)
    await jest.runAllTimersAsync()
    expect(await p).toMatchObject({ code: 'Throttled' })
    expect(source).toHaveBeenCalledTimes(1)
    expect(source.mock.calls).toEqual([[{ mfa: { serialNumber: SERIAL, tokenCode: '123456' } }]])
    expect(codes).toHaveBeenCalledTimes(1)
  })

  it('rejects bad options at construction', () => {
    expect(() => withRetry({ retries: -1 })).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
    expect(() => withRetry({ baseMs: Number.NaN })).toThrow(/baseMs/)
    expect(() => withRetry({ isRetryable: 'yes' as never })).toThrow(/isRetryable/)
  })
})
