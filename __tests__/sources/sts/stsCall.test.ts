import { getEventListeners } from 'node:events'
import { sendSts } from '../../../lib/sources/sts/stsCall'

describe('sendSts', () => {
  beforeEach(() => jest.useFakeTimers())
  afterEach(() => jest.useRealTimers())

  /** A send that never settles, recording the signal it was given. */
  const stalled = () => {
    const seen: { signal?: AbortSignal | undefined } = {}
    const send = (o: { abortSignal?: AbortSignal }) => {
      seen.signal = o.abortSignal
      return new Promise<never>(() => undefined)
    }
    return { send, seen }
  }

  it('fails with Timeout (retryable) once timeoutMs passes without an answer, and aborts the request', async () => {
    const { send, seen } = stalled()
    const call = sendSts(send, undefined, 'fromAssumeRole', 'AssumeRole', 100)
    const outcome = expect(call).rejects.toMatchObject({
      code: 'Timeout',
      retryable: true,
      source: 'fromAssumeRole',
      message: expect.stringContaining('timeoutMs (100 ms)'),
    })
    await jest.advanceTimersByTimeAsync(99)
    expect(seen.signal?.aborted).toBe(false)
    await jest.advanceTimersByTimeAsync(1)
    await outcome
    expect(seen.signal?.aborted).toBe(true)
  })

  it("fails with Aborted when the caller's signal aborts first", async () => {
    const { send, seen } = stalled()
    const controller = new AbortController()
    const call = sendSts(send, { signal: controller.signal }, 'fromAssumeRole', 'AssumeRole', 10_000)
    controller.abort()
    await expect(call).rejects.toMatchObject({ code: 'Aborted', source: 'fromAssumeRole' })
    expect(seen.signal?.aborted).toBe(true)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('leaves no timer behind after an answer or a failure', async () => {
    await expect(sendSts(async () => 'answer', undefined, 'fromAssumeRole', 'AssumeRole', 10_000)).resolves.toBe(
      'answer',
    )
    expect(jest.getTimerCount()).toBe(0)
    const refused = Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })
    await expect(
      sendSts(
        async () => {
          throw refused
        },
        undefined,
        'fromAssumeRole',
        'AssumeRole',
        10_000,
      ),
    ).rejects.toMatchObject({ code: 'StsRejected' })
    expect(jest.getTimerCount()).toBe(0)
  })

  it("adds at most one listener to a caller's signal, however many calls share it", async () => {
    const controller = new AbortController()
    for (let i = 0; i < 20; i++)
      await sendSts(async () => 'answer', { signal: controller.signal }, 'fromAssumeRole', 'AssumeRole', 10_000)
    // One shared listener per signal (lib/internal/abortable.ts), none per call.
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1)
    const aborted = jest.fn()
    controller.signal.addEventListener('abort', aborted)
    controller.abort()
    expect(aborted).toHaveBeenCalledTimes(1)
  })
})
