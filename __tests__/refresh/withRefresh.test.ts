import { CredentialError, originalCause } from '../../lib/errors'
import type { RefreshEvent } from '../../lib/refresh/RefreshEvent'
import { withRefresh } from '../../lib/refresh/withRefresh'
import type { AwsCredentialIdentity, SourceContext } from '../../lib/types'
import { fakeSource, flush } from '../support/fakeSource'

const MIN = 60_000
const HOUR = 60 * MIN

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z'), doNotFake: ['setImmediate', 'nextTick'] })
})
afterEach(() => {
  jest.useRealTimers()
})

/** Two callers wait on a held fetch; the first one's signal aborts: it must reject `Aborted`. Returns the other. */
const abortOneOfTwo = async (
  source: ReturnType<typeof fakeSource>,
  provider: (context?: SourceContext) => Promise<AwsCredentialIdentity>,
): Promise<{ readonly other: Promise<AwsCredentialIdentity> }> => {
  source.hold()
  const controller = new AbortController()
  const aborted = provider({ signal: controller.signal })
  const other = provider()
  controller.abort()
  await expect(aborted).rejects.toMatchObject({ code: 'Aborted' })
  return { other }
}

describe('withRefresh', () => {
  it('rule 1: with nothing cached, N concurrent callers wait for exactly one source call', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0 })(source)
    const results = await Promise.all(Array.from({ length: 100 }, () => provider()))
    expect(source.calls).toBe(1)
    expect(new Set(results.map((r) => r.accessKeyId)).size).toBe(1)
    provider.close()
  })

  it('rule 2: forceRefresh waits for one new fetch, and concurrent forced callers share it', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0 })(source)
    const first = await provider()
    const [a, b] = await Promise.all([provider({ forceRefresh: true }), provider({ forceRefresh: true })])
    expect(source.calls).toBe(2)
    expect(a.accessKeyId).not.toBe(first.accessKeyId)
    expect(b).toBe(a)
    expect(await provider()).toBe(a)
    provider.close()
  })

  it('rule 2: a forced caller joins a refresh already in flight', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0 })(source)
    await provider()
    source.hold()
    const forced1 = provider({ forceRefresh: true })
    const forced2 = provider({ forceRefresh: true })
    source.release()
    expect(await forced1).toBe(await forced2)
    expect(source.calls).toBe(2)
    provider.close()
  })

  it('rule 2: a forced refresh passes forceRefresh to the source, so a source with its own cache skips it', async () => {
    const contexts: unknown[] = []
    const source = fakeSource(HOUR)
    const provider = withRefresh()((context) => {
      contexts.push(context)
      return source()
    })
    await provider()
    await provider({ forceRefresh: true })
    expect(contexts).toEqual([undefined, { forceRefresh: true }])
    provider.close()
  })

  it('rule 3: above the advisory window a call returns the cached value with no source call, no timer work and no new promise', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0 })(source)
    const p1 = provider()
    await p1
    const timers = jest.getTimerCount()
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout')
    const clearTimeoutSpy = jest.spyOn(globalThis, 'clearTimeout')
    jest.setSystemTime(Date.now() + 40 * MIN)
    const promises = Array.from({ length: 1000 }, () => provider())
    expect(new Set(promises).size).toBe(1)
    expect(setTimeoutSpy).not.toHaveBeenCalled()
    expect(clearTimeoutSpy).not.toHaveBeenCalled()
    expect(jest.getTimerCount()).toBe(timers)
    await Promise.all(promises)
    expect(source.calls).toBe(1)
    setTimeoutSpy.mockRestore()
    clearTimeoutSpy.mockRestore()
    provider.close()
  })

  it('rule 4: in the advisory window callers get the cached value at once and one background refresh starts', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, background: false })(source)
    const first = await provider()
    jest.setSystemTime(Date.now() + 50 * MIN) // advisory window of a 1 h credential is 15 min
    source.hold()
    const during = await Promise.all(Array.from({ length: 50 }, () => provider()))
    expect(during.every((c) => c === first)).toBe(true)
    expect(source.calls).toBe(2)
    source.release()
    await flush()
    expect((await provider()).accessKeyId).not.toBe(first.accessKeyId)
    expect(source.calls).toBe(2)
  })

  it('rule 4: a failed background refresh is observed as an event, never an unhandled rejection, and the cached value stays', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown): void => {
      unhandled.push(e)
    }
    process.on('unhandledRejection', onUnhandled)
    const events: RefreshEvent[] = []
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, background: false, onEvent: (e) => events.push(e) })(source)
    const first = await provider()
    jest.setSystemTime(Date.now() + 50 * MIN)
    source.failWith(new Error('network down'))
    expect(await provider()).toBe(first)
    await flush()
    await new Promise((r) => setImmediate(r))
    expect(await provider()).toBe(first)
    expect(source.calls).toBe(2) // back-off pending: no second try yet
    process.off('unhandledRejection', onUnhandled)
    expect(unhandled).toEqual([])
    const failed = events.find((e) => e.type === 'refresh-failed')
    expect(failed).toMatchObject({
      type: 'refresh-failed',
      reason: 'advisory',
      failures: 1,
      error: { code: 'SourceFailed' },
    })
    expect(events.some((e) => e.type === 'backoff')).toBe(true)
  })

  it('rule 5: in the mandatory window callers wait for the one refresh', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, background: false })(source)
    const first = await provider()
    jest.setSystemTime(Date.now() + HOUR - 30_000)
    const results = await Promise.all(Array.from({ length: 20 }, () => provider()))
    expect(source.calls).toBe(2)
    expect(results.every((c) => c === results[0] && c !== first)).toBe(true)
  })

  it('rule 5: when the refresh fails, a still-valid value is served and the next try is backed off', async () => {
    const events: RefreshEvent[] = []
    const source = fakeSource(HOUR)
    const provider = withRefresh({
      jitter: 0,
      background: false,
      backoffBaseMs: 10_000,
      random: () => 1,
      onEvent: (e) => events.push(e),
    })(source)
    const first = await provider()
    jest.setSystemTime(Date.now() + HOUR - 30_000)
    source.failWith(new Error('503'))
    expect(await provider()).toBe(first)
    expect(await provider()).toBe(first)
    expect(source.calls).toBe(2) // the second call is inside the back-off
    expect(events.filter((e) => e.type === 'stale-served')).toHaveLength(1)
    jest.setSystemTime(Date.now() + 10_001)
    source.succeed()
    expect((await provider()).accessKeyId).not.toBe(first.accessKeyId)
    expect(source.calls).toBe(3)
  })

  it('rule 5: an expired value is never served; the caller gets the CredentialError', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, background: false })(source)
    await provider()
    jest.setSystemTime(Date.now() + HOUR)
    source.failWith(new CredentialError('denied', { code: 'StsRejected', source: 'fake' }))
    await expect(provider()).rejects.toMatchObject({ name: 'CredentialError', code: 'StsRejected' })
    expect(provider.current()).toBeUndefined()
  })

  it('rule 5: a failure that is not a CredentialError reaches the caller wrapped as SourceFailed with its cause', async () => {
    const cause = new TypeError('boom')
    const source = fakeSource(HOUR)
    source.failWith(cause)
    const provider = withRefresh()(source)
    const error = await provider().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialError)
    expect(error).toMatchObject({ code: 'SourceFailed', cause: { name: 'TypeError', message: 'boom' } })
    expect(originalCause(error as CredentialError)).toBe(cause)
  })

  it('rule 6: with no earlyMs the window scales with the lifetime (5 / 15 / 60 min)', async () => {
    for (const [lifetime, early] of [
      [15 * MIN, 5 * MIN],
      [HOUR, 15 * MIN],
      [12 * HOUR, HOUR],
    ] as const) {
      const source = fakeSource(lifetime)
      const provider = withRefresh({ jitter: 0, background: false })(source)
      await provider()
      jest.setSystemTime(Date.now() + lifetime - early - 1)
      await provider()
      expect(source.calls).toBe(1)
      jest.setSystemTime(Date.now() + 1)
      await provider()
      await flush()
      expect(source.calls).toBe(2)
    }
  })

  it('rule 6: windows are capped at half the lifetime, so short-lived credentials refresh about once per half-life', async () => {
    const source = fakeSource(60_000)
    const provider = withRefresh({ earlyMs: 5 * MIN, mandatoryMs: 60_000, jitter: 0, background: false })(source)
    for (let second = 0; second < 600; second++) {
      await provider()
      await flush()
      jest.setSystemTime(Date.now() + 1_000)
    }
    // 600 s of 60 s credentials refreshed every ~30 s: about 20 fetches, not 600.
    expect(source.calls).toBeGreaterThanOrEqual(19)
    expect(source.calls).toBeLessThanOrEqual(21)
  })

  it('rule 5: at the exact instant of expiry the value counts as expired and is never served', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, background: false, backoffBaseMs: 600_000 })(source)
    const first = await provider()
    jest.setSystemTime(Date.now() + HOUR - 30_000)
    source.failWith(new Error('down'))
    expect(await provider()).toBe(first) // stale, with a 5-10 min back-off pending
    jest.setSystemTime(first.expiration!.getTime())
    await expect(provider()).rejects.toMatchObject({ code: 'SourceFailed' })
    expect(provider.current()).toBeUndefined()
  })

  it('rule 7: a fetch whose expiration is exactly now is an Expired error', async () => {
    const provider = withRefresh()(async () => ({
      accessKeyId: 'AKIA',
      secretAccessKey: 's',
      expiration: new Date(Date.now()),
    }))
    await expect(provider()).rejects.toMatchObject({ code: 'Expired' })
  })

  it('rule 7: a fetch that yields expired credentials is an Expired error and is not cached', async () => {
    const source = fakeSource(-1)
    const provider = withRefresh()(source)
    await expect(provider()).rejects.toMatchObject({ code: 'Expired' })
    await expect(provider()).rejects.toMatchObject({ code: 'Expired' })
    expect(source.calls).toBe(2)
    expect(provider.current()).toBeUndefined()
  })

  it('rule 7: credentials without expiration are cached until forceRefresh', async () => {
    const source = fakeSource(undefined)
    const provider = withRefresh()(source)
    const first = await provider()
    jest.setSystemTime(Date.now() + 3650 * 24 * HOUR)
    expect(await provider()).toBe(first)
    expect(jest.getTimerCount()).toBe(0)
    expect(await provider({ forceRefresh: true })).not.toBe(first)
    expect(source.calls).toBe(2)
  })

  it('rule 8: a background timer refreshes before the advisory window is reached, with no caller', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0.1, random: () => 0.5 })(source)
    const first = await provider()
    jest.advanceTimersByTime(HOUR - 15 * MIN - 0.05 * 15 * MIN - 1)
    expect(source.calls).toBe(1)
    jest.advanceTimersByTime(1)
    await flush()
    expect(source.calls).toBe(2)
    expect(provider.current()).not.toBe(first)
    provider.close()
  })

  it('rule 8: background retries a failed refresh after a back-off while the value is valid', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, backoffBaseMs: 1_000, random: () => 1 })(source)
    await provider()
    source.failWith(new Error('down'))
    await jest.advanceTimersByTimeAsync(HOUR - 15 * MIN)
    expect(source.calls).toBe(2)
    await jest.advanceTimersByTimeAsync(1_000)
    expect(source.calls).toBe(3)
    await jest.advanceTimersByTimeAsync(2_000)
    expect(source.calls).toBe(4)
    source.succeed()
    await jest.advanceTimersByTimeAsync(4_000)
    expect(source.calls).toBe(5)
    expect(provider.current()?.accessKeyId).toBe('ASIAFAKE00000005')
    provider.close()
    expect(jest.getTimerCount()).toBe(0)
  })

  it("rule 8: the timer is unref'd and close() clears it; calls still work afterwards", async () => {
    const timers: NodeJS.Timeout[] = []
    const real = globalThis.setTimeout
    const spy = jest.spyOn(globalThis, 'setTimeout').mockImplementation((...args: Parameters<typeof setTimeout>) => {
      const t = real(...args)
      timers.push(t)
      return t
    })
    const source = fakeSource(HOUR)
    const provider = withRefresh()(source)
    await provider()
    spy.mockRestore()
    expect(timers).toHaveLength(1)
    expect(timers[0]?.hasRef()).toBe(false)
    provider.close()
    expect(jest.getTimerCount()).toBe(0)
    await provider({ forceRefresh: true })
    expect(source.calls).toBe(2)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rule 8: after a forced refresh the one timer re-arms for the new refresh point instead of firing early', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0 })(source)
    await provider()
    await jest.advanceTimersByTimeAsync(10 * MIN)
    await provider({ forceRefresh: true })
    expect(jest.getTimerCount()).toBe(1)
    await jest.advanceTimersByTimeAsync(45 * MIN - 10 * MIN) // the old refresh point
    expect(source.calls).toBe(2)
    expect(jest.getTimerCount()).toBe(1)
    await jest.advanceTimersByTimeAsync(10 * MIN) // the new one: 10 min + 45 min
    expect(source.calls).toBe(3)
    provider.close()
  })

  it('jitter moves each refresh point earlier by up to its share of the advisory window', async () => {
    const points = new Set<number>()
    for (let i = 0; i < 20; i++) {
      const events: RefreshEvent[] = []
      const provider = withRefresh({ onEvent: (e) => events.push(e), background: false })(fakeSource(HOUR))
      await provider()
      const ok = events.find((e) => e.type === 'refresh-succeeded')
      if (ok?.type !== 'refresh-succeeded') throw new Error('no refresh-succeeded event')
      const expiry = Date.now() + HOUR
      expect(ok.refreshAt).toBeLessThanOrEqual(expiry - 15 * MIN)
      expect(ok.refreshAt).toBeGreaterThanOrEqual(expiry - 15 * MIN - 0.1 * 15 * MIN)
      points.add(ok.refreshAt)
    }
    expect(points.size).toBeGreaterThan(15)
  })

  it('jitter never moves the refresh point closer than a quarter of the lifetime to the fetch', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ earlyMs: HOUR, jitter: 1, random: () => 0.999, background: false })(source)
    for (let minute = 0; minute < 60; minute++) {
      await provider()
      await flush()
      jest.setSystemTime(Date.now() + MIN)
    }
    expect(source.calls).toBeLessThanOrEqual(5) // one per quarter-lifetime at most, not one per call
    expect(source.calls).toBeGreaterThanOrEqual(4)
  })

  it('current() returns the cached value without I/O, invalidate() makes the next call fetch and wait', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh()(source)
    expect(provider.current()).toBeUndefined()
    const first = await provider()
    expect(provider.current()).toBe(first)
    provider.invalidate()
    expect(provider.current()).toBeUndefined()
    expect(jest.getTimerCount()).toBe(0)
    expect(await provider()).not.toBe(first)
    expect(source.calls).toBe(2)
    expect(provider.memoized).toBe(true)
    provider.close()
  })

  it('invalidate() during a refresh: the next call starts a new fetch, and the old one never overwrites what a later fetch stored', async () => {
    const pending: { resolve: (c: { accessKeyId: string; secretAccessKey: string; expiration: Date }) => void }[] = []
    const source = (): Promise<{ accessKeyId: string; secretAccessKey: string; expiration: Date }> =>
      new Promise((resolve) => {
        pending.push({ resolve })
      })
    const provider = withRefresh({ jitter: 0 })(source)
    const before = provider()
    provider.invalidate()
    const after = provider()
    await flush()
    expect(pending).toHaveLength(2)
    const mint = (id: string) => ({ accessKeyId: id, secretAccessKey: 's', expiration: new Date(Date.now() + HOUR) })
    pending[1]!.resolve(mint('NEW'))
    expect((await after).accessKeyId).toBe('NEW')
    pending[0]!.resolve(mint('OLD'))
    expect((await before).accessKeyId).toBe('OLD') // its own callers still get their answer
    await flush()
    expect(provider.current()?.accessKeyId).toBe('NEW')
    expect((await provider()).accessKeyId).toBe('NEW')
    provider.close()
  })

  it('rule 9: in the mandatory window a caller waits at most waitMs (default 5 s), then gets the still-valid value while the refresh goes on', async () => {
    const events: RefreshEvent[] = []
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, background: false, onEvent: (e) => events.push(e) })(source)
    const first = await provider()
    jest.setSystemTime(Date.now() + HOUR - 30_000)
    source.hold()
    let settled: unknown
    const waiting = provider().then((c) => {
      settled = c
    })
    await jest.advanceTimersByTimeAsync(4_999)
    expect(settled).toBeUndefined()
    await jest.advanceTimersByTimeAsync(1)
    await waiting
    expect(settled).toBe(first)
    expect(source.calls).toBe(2)
    expect(events.map((e) => e.type)).toContain('stale-served')
    source.release()
    await flush()
    expect((await provider()).accessKeyId).toBe('ASIAFAKE00000002')
    expect(source.calls).toBe(2)
    provider.close()
  })

  it('rule 9: waitMs is configurable, and with nothing valid cached callers keep waiting past it', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, background: false, waitMs: 100 })(source)
    source.hold()
    let cold: unknown
    const coldCall = provider().then((c) => {
      cold = c
    })
    await jest.advanceTimersByTimeAsync(60_000)
    expect(cold).toBeUndefined()
    source.release()
    await coldCall
    const first = cold
    jest.setSystemTime(Date.now() + HOUR - 30_000)
    source.hold()
    let warm: unknown
    const warmCall = provider().then((c) => {
      warm = c
    })
    await jest.advanceTimersByTimeAsync(100)
    await warmCall
    expect(warm).toBe(first)
    source.release()
    expect(() => withRefresh({ waitMs: -1 })).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
    expect(() => withRefresh({ waitMs: Number.NaN })).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
    provider.close()
  })

  it('close() also releases the resources of the source', () => {
    const close = jest.fn()
    const provider = withRefresh()(Object.assign(fakeSource(HOUR), { close }))
    provider.close()
    expect(close).toHaveBeenCalledTimes(1)
  })

  it('a caller whose signal aborts stops waiting without aborting the shared fetch', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh()(source)
    const { other } = await abortOneOfTwo(source, provider)
    source.release()
    await expect(other).resolves.toMatchObject({ accessKeyId: 'ASIAFAKE00000001' })
    expect(source.calls).toBe(1)
    provider.close()
  })

  it('rule 5: a caller whose signal aborts in the mandatory window rejects with Aborted, never with the still-valid value', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, background: false })(source)
    await provider()
    jest.setSystemTime(Date.now() + HOUR - 30_000)
    const { other } = await abortOneOfTwo(source, provider)
    const early = new AbortController()
    early.abort()
    await expect(provider({ signal: early.signal })).rejects.toMatchObject({ code: 'Aborted' })
    source.release()
    await expect(other).resolves.toMatchObject({ accessKeyId: 'ASIAFAKE00000002' })
    expect(source.calls).toBe(2)
    provider.close()
  })

  it('a waiting caller whose signal aborts with a timeout reason rejects with Timeout; the fetch goes on for the others', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh({ jitter: 0, background: false })(source)
    source.hold()
    const controller = new AbortController()
    const waiting = provider({ signal: controller.signal })
    const other = provider()
    controller.abort(new DOMException('deadline', 'TimeoutError'))
    await expect(waiting).rejects.toMatchObject({
      name: 'CredentialError',
      code: 'Timeout',
      message: expect.stringContaining("timed out by the caller's signal"),
    })
    source.release()
    await expect(other).resolves.toMatchObject({ accessKeyId: 'ASIAFAKE00000001' })
    expect(source.calls).toBe(1)
    provider.close()
  })

  it('events report starts and successes with only the last four characters of the key id', async () => {
    const events: RefreshEvent[] = []
    const provider = withRefresh({
      onEvent: (e) => {
        events.push(e)
        throw new Error('observer bug')
      },
    })(fakeSource(HOUR))
    await provider()
    expect(events.map((e) => e.type)).toEqual(['refresh-started', 'refresh-succeeded'])
    expect(events[1]).toMatchObject({ reason: 'cold', accessKeyIdSuffix: '0001' })
    expect(JSON.stringify(events)).not.toContain('secret-1')
    provider.close()
  })

  it('rejects bad options at construction', () => {
    expect(() => withRefresh(-1)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
    expect(() => withRefresh({ jitter: 2 })).toThrow(/jitter/)
    expect(() => withRefresh({ earlyMs: 60_000, mandatoryMs: 40_000 })).toThrow(/at most half/)
    expect(() => withRefresh({ now: 5 as unknown as () => number })).toThrow(/now must be a function/)
  })
})
