import { withTimeout } from '../../lib/transforms/withTimeout'
import type { AwsCredentialIdentity, SourceContext } from '../../lib/types'

const creds: AwsCredentialIdentity = { accessKeyId: 'AKIA', secretAccessKey: 'secret' }

/** A source that never answers but records the signal it was given. */
const hanging = () => {
  const seen: { signal?: AbortSignal | undefined } = {}
  const source = (context?: SourceContext): Promise<AwsCredentialIdentity> => {
    seen.signal = context?.signal
    return new Promise(() => undefined)
  }
  return { source, seen }
}

beforeEach(() => jest.useFakeTimers())
afterEach(() => jest.useRealTimers())

describe('withTimeout', () => {
  it('fails a slow fetch with a retryable Timeout and aborts it through context.signal', async () => {
    const { source, seen } = hanging()
    const p = withTimeout(1_000)(source)().catch((e: unknown) => e)
    await jest.advanceTimersByTimeAsync(999)
    expect(seen.signal?.aborted).toBe(false)
    await jest.advanceTimersByTimeAsync(1)
    expect(await p).toMatchObject({ code: 'Timeout', retryable: true })
    expect(seen.signal?.aborted).toBe(true)
    expect(seen.signal?.reason).toMatchObject({ code: 'Timeout' })
  })

  it('passes a fast result through and leaves no timer behind', async () => {
    await expect(withTimeout(1_000)(async () => creds)({ forceRefresh: true })).resolves.toBe(creds)
    expect(jest.getTimerCount()).toBe(0)
  })

  it("keeps the rest of the context and still honours the caller's own signal", async () => {
    const { source, seen } = hanging()
    const controller = new AbortController()
    const p = withTimeout(60_000)(source)({ signal: controller.signal }).catch((e: unknown) => e)
    controller.abort()
    expect(await p).toMatchObject({ code: 'Aborted' })
    expect(seen.signal?.aborted).toBe(true)
  })

  it('leaves no timer behind when the caller aborts a source that ignores its signal', async () => {
    const { source } = hanging()
    const controller = new AbortController()
    const p = withTimeout(60_000)(source)({ signal: controller.signal }).catch((e: unknown) => e)
    expect(jest.getTimerCount()).toBe(1)
    controller.abort()
    expect(await p).toMatchObject({ code: 'Aborted' })
    expect(jest.getTimerCount()).toBe(0)
    const early = new AbortController()
    early.abort()
    await expect(withTimeout(60_000)(source)({ signal: early.signal })).rejects.toMatchObject({ code: 'Aborted' })
    expect(jest.getTimerCount()).toBe(0)
  })

  it("passes the source's own error through", async () => {
    const error = new Error('x')
    await expect(
      withTimeout(1_000)(async () => {
        throw error
      })(),
    ).rejects.toBe(error)
  })

  it('rejects a bad duration at construction', () => {
    for (const ms of [0, -1, Number.NaN, Infinity, '5' as never]) {
      expect(() => withTimeout(ms)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
    }
  })
})
