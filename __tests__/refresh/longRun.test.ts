// Long-run simulation: 30 days of Jest fake time per case, for 15-minute, 1-hour and
// 12-hour credentials: first a deterministic month (jitter 0, no fault, steady callers)
// with exact counts, then a random one (default jitter, random callers, source latency and
// outages) drawn from a seeded PRNG, so every run replays the same month, with bounds. An
// instrumented source counts fetches and calls in flight and samples the provider's
// timers; every caller checks what it was given.
import { CredentialError } from '../../lib/errors'
import type { RefreshEvent } from '../../lib/refresh/RefreshEvent'
import type { WithRefreshOptions } from '../../lib/refresh/withRefresh'
import { withRefresh } from '../../lib/refresh/withRefresh'
import type { AwsCredentialIdentity, CredentialSource } from '../../lib/types'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const START = Date.parse('2026-01-01T00:00:00Z')
const END = START + 30 * DAY
const BACKOFF_CAP_MS = 60_000 // withRefresh's default backoffMaxMs
const MAX_LATENCY_MS = 2_000
const MAX_CALLER_GAP_MS = 30 * MIN

/** mulberry32: a tiny seeded PRNG, so the "random" month is the same on every run. */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Windows of one lifetime by rule 6 (no earlyMs): 5 / 15 / 60 min, capped at half the lifetime. */
const advisoryMs = (lifetimeMs: number, earlyMs?: number): number =>
  Math.min(earlyMs ?? (lifetimeMs < 20 * MIN ? 5 * MIN : lifetimeMs < 90 * MIN ? 15 * MIN : 60 * MIN), lifetimeMs / 2)

/** The back-off ceiling after `failures` failures in a row, with the defaults: min(60 s, 1 s × 2^(n-1)); the wait is half to all of it. */
const backoffCeiling = (failures: number): number => Math.min(BACKOFF_CAP_MS, 1_000 * 2 ** (failures - 1))

/** Most tries that fit in `ms` when each next one waits at least half the ceiling. */
const maxRetries = (ms: number): number => {
  let tries = 1
  for (let spent = 0; ; tries += 1) {
    spent += backoffCeiling(tries) / 2
    if (spent > ms) return tries
  }
}

/** How the provider stood once the back-off cap had passed after an outage. */
type Recovery = 'unaffected' | 'retried' | 'next-call' | 'not-recovered'
interface Outage {
  readonly start: number
  readonly end: number
  failures: number
  callerErrors: number
  recovery?: Recovery
}

interface Scenario {
  readonly lifetimeMs: number
  readonly options: WithRefreshOptions
  readonly seed: number
  /** Random outages (1 to 8 h apart, 1 min to 3 h long) and source latency (0 to 2 s). */
  readonly faults: boolean
  /** Steady callers every `callerEveryMs`, or random ones (exponential, mean 10 min, capped at 30 min). */
  readonly callerEveryMs?: number
}

interface Report {
  fetches: number
  successes: number
  failures: number
  maxInFlight: number
  /** Largest number of timers the provider had armed at any sample, and after close(). */
  maxTimers: number
  timersAfterClose: number
  calls: number
  served: number
  errors: number
  expiredServed: number
  /** Caller errors although the cached value outlived the wait (rule 5: static stability forbids them). */
  errorsWhileValid: number
  /** Fetches started, while a valid value was cached, sooner after a failure than half the back-off ceiling. */
  retriesInsideBackoff: number
  wrongErrors: string[]
  started: Extract<RefreshEvent, { type: 'refresh-started' }>[]
  outages: Outage[]
}

const outagesFor = (random: () => number): Outage[] => {
  const outages: Outage[] = []
  for (let at = START + HOUR + random() * 7 * HOUR; at < END;) {
    const lengthMs = random() < 0.7 ? MIN + random() * 9 * MIN : 10 * MIN + random() * 170 * MIN
    const end = Math.min(END, Math.round(at + lengthMs))
    outages.push({ start: Math.round(at), end, failures: 0, callerErrors: 0 })
    at = end + HOUR + random() * 7 * HOUR
  }
  return outages
}

const callerTimes = (sc: Scenario, random: () => number): number[] => {
  const times: number[] = []
  for (let at = START; at < END;) {
    times.push(at)
    at +=
      sc.callerEveryMs ?? Math.min(MAX_CALLER_GAP_MS, Math.max(1_000, Math.round(-Math.log(1 - random()) * 10 * MIN)))
  }
  return times
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const simulate = async (sc: Scenario): Promise<Report> => {
  const rng = {
    outages: prng(sc.seed),
    callers: prng(sc.seed + 1),
    latency: prng(sc.seed + 2),
    jitter: prng(sc.seed + 3),
  }
  const outages = sc.faults ? outagesFor(rng.outages) : []
  const outageAt = (t: number): Outage | undefined => outages.find((o) => o.start <= t && t < o.end)
  const r: Report = {
    fetches: 0,
    successes: 0,
    failures: 0,
    maxInFlight: 0,
    maxTimers: 0,
    timersAfterClose: 0,
    calls: 0,
    served: 0,
    errors: 0,
    expiredServed: 0,
    errorsWhileValid: 0,
    retriesInsideBackoff: 0,
    wrongErrors: [],
    started: [],
    outages,
  }
  let inFlight = 0
  let latencyTimers = 0
  let validUntil = -Infinity
  let lastOk = true
  let failuresInRow = 0
  let lastFailureAt = -Infinity
  const sampleTimers = (): void => {
    r.maxTimers = Math.max(r.maxTimers, jest.getTimerCount() - latencyTimers)
  }

  const source: CredentialSource = () => {
    const n = ++r.fetches
    inFlight += 1
    r.maxInFlight = Math.max(r.maxInFlight, inFlight)
    sampleTimers()
    const now = Date.now()
    if (failuresInRow > 0 && validUntil > now && now < lastFailureAt + backoffCeiling(failuresInRow) / 2)
      r.retriesInsideBackoff += 1
    const outage = outageAt(now)
    const latencyMs = sc.faults ? Math.floor(rng.latency() * MAX_LATENCY_MS) : 0
    const answered =
      latencyMs === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            latencyTimers += 1
            setTimeout(() => {
              latencyTimers -= 1
              resolve()
            }, latencyMs)
          })
    return answered.then((): AwsCredentialIdentity => {
      inFlight -= 1
      lastOk = outage === undefined
      failuresInRow = lastOk ? 0 : failuresInRow + 1
      if (outage !== undefined) {
        lastFailureAt = Date.now()
        r.failures += 1
        outage.failures += 1
        throw Object.assign(new Error('Service Unavailable'), {
          name: 'ServiceUnavailable',
          $metadata: { httpStatusCode: 503 },
        })
      }
      r.successes += 1
      validUntil = Date.now() + sc.lifetimeMs
      return {
        accessKeyId: `ASIALONG${n}`,
        secretAccessKey: `secret-${n}`,
        sessionToken: `token-${n}`,
        expiration: new Date(validUntil),
      }
    })
  }

  const provider = withRefresh({
    random: rng.jitter,
    ...sc.options,
    onEvent: (e) => {
      if (e.type === 'refresh-started') r.started.push(e)
    },
  })(source)

  const call = (): void => {
    const calledAt = Date.now()
    const validAtCall = validUntil > calledAt + MAX_LATENCY_MS // still valid when any fetch it waits for answers
    r.calls += 1
    provider().then(
      (creds) => {
        r.served += 1
        if ((creds.expiration?.getTime() ?? -Infinity) <= Date.now()) r.expiredServed += 1
      },
      (e: unknown) => {
        r.errors += 1
        if (validAtCall) r.errorsWhileValid += 1
        const outage = outageAt(calledAt)
        if (outage !== undefined) outage.callerErrors += 1
        if (!(e instanceof CredentialError) || e.name !== 'CredentialError' || e.code !== 'SourceFailed')
          r.wrongErrors.push(String(e))
      },
    )
  }

  /**
   * After an outage ends, a retry is due within the back-off cap (plus two answers'
   * latency): by then the last fetch succeeded; or the value expired during the outage, no
   * timer is left, and the next caller's one fetch recovers.
   */
  const checkRecovery = async (outage: Outage): Promise<void> => {
    const expired = provider.current() === undefined
    if (expired) {
      call()
      await jest.advanceTimersByTimeAsync(MAX_LATENCY_MS + 1)
    }
    const healthy = lastOk && provider.current() !== undefined
    outage.recovery = !healthy
      ? 'not-recovered'
      : expired
        ? 'next-call'
        : outage.failures > 0
          ? 'retried'
          : 'unaffected'
  }

  const moments = [
    ...callerTimes(sc, rng.callers).map((at) => ({ at, outage: undefined })),
    ...outages.map((outage) => ({ at: outage.end + BACKOFF_CAP_MS + 2 * MAX_LATENCY_MS + 1, outage })),
  ]
    .filter((m) => m.at < END)
    .sort((a, b) => a.at - b.at)
  for (const { at, outage } of moments) {
    await jest.advanceTimersByTimeAsync(Math.max(0, at - Date.now()))
    sampleTimers()
    if (outage === undefined) call()
    else await checkRecovery(outage)
    await flush()
  }
  await jest.advanceTimersByTimeAsync(END - Date.now())
  sampleTimers()
  provider.close()
  await jest.advanceTimersByTimeAsync(MAX_LATENCY_MS + 1)
  await flush()
  r.timersAfterClose = jest.getTimerCount()
  return r
}

const rows: string[] = []
const row = (cells: readonly (string | number)[]): void => {
  rows.push(`| ${cells.join(' | ')} |`)
}

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
  console.log(
    [
      '30 simulated days per row',
      '| credentials | schedule | fetches | successful (bounds) | failed | caller calls | caller errors | outages: retried / next call / unaffected | max in flight | max timers |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  )
})
beforeEach(() => {
  jest.useFakeTimers({ now: START, doNotFake: ['setImmediate', 'nextTick'] })
})
afterEach(() => {
  jest.useRealTimers()
})

const label = (ms: number): string => (ms < HOUR ? `${ms / MIN} min` : `${ms / HOUR} h`)

describe('withRefresh', () => {
  it.each([
    {
      name: '15-minute credentials',
      lifetimeMs: 15 * MIN,
      earlyMs: undefined,
      every: '10 min',
      periodMs: 10 * MIN,
      refreshes: 4320,
    },
    {
      name: '1-hour credentials',
      lifetimeMs: HOUR,
      earlyMs: undefined,
      every: '45 min',
      periodMs: 45 * MIN,
      refreshes: 960,
    },
    {
      name: '12-hour credentials',
      lifetimeMs: 12 * HOUR,
      earlyMs: undefined,
      every: '11 h',
      periodMs: 11 * HOUR,
      refreshes: 65,
    },
    {
      name: '12-hour credentials with earlyMs 8 h (capped at half the lifetime)',
      lifetimeMs: 12 * HOUR,
      earlyMs: 8 * HOUR,
      every: '6 h',
      periodMs: 6 * HOUR,
      refreshes: 120,
    },
  ])(
    'over 30 days with jitter 0 and no outage, $name are refreshed exactly every $every ($refreshes times) by the timer alone, and no caller ever waits',
    async ({ lifetimeMs, earlyMs, periodMs, refreshes }) => {
      expect(lifetimeMs - advisoryMs(lifetimeMs, earlyMs)).toBe(periodMs) // rule 6, independently
      const r = await simulate({
        lifetimeMs,
        options: { jitter: 0, ...(earlyMs === undefined ? {} : { earlyMs }) },
        seed: 1,
        faults: false,
        callerEveryMs: 7 * MIN,
      })
      row([
        label(lifetimeMs) + (earlyMs === undefined ? '' : ` (earlyMs ${label(earlyMs)})`),
        `jitter 0, refresh every ${label(periodMs)}, caller every 7 min`,
        r.fetches,
        `${r.successes} (exactly ${refreshes + 1})`,
        r.failures,
        r.calls,
        r.errors,
        '-',
        r.maxInFlight,
        r.maxTimers,
      ])
      expect(r.started.filter((e) => e.reason === 'background')).toHaveLength(refreshes)
      expect(r.started.map((e) => e.reason)).toEqual(['cold', ...Array<string>(refreshes).fill('background')])
      expect(new Set(r.started.slice(1).map((e, i) => e.at - (r.started[i]?.at ?? 0)))).toEqual(new Set([periodMs]))
      expect(r.fetches).toBe(refreshes + 1) // and the first caller's cold fetch
      expect(r).toMatchObject({
        successes: refreshes + 1,
        maxInFlight: 1,
        maxTimers: 1,
        timersAfterClose: 0,
        calls: 6172,
        served: 6172,
        errors: 0,
        expiredServed: 0,
      })
      expect(unhandled).toEqual([])
    },
  )

  it.each([
    { name: '15-minute credentials', lifetimeMs: 15 * MIN, seed: 15 },
    { name: '1-hour credentials', lifetimeMs: HOUR, seed: 60 },
    { name: '12-hour credentials', lifetimeMs: 12 * HOUR, seed: 720 },
  ])(
    'over 30 days of random outages, latency and callers, $name stay within the count bounds, one fetch in flight, one timer, never expired, and recover within the back-off cap',
    async ({ lifetimeMs, seed }) => {
      const r = await simulate({ lifetimeMs, options: {}, seed, faults: true })
      const adv = advisoryMs(lifetimeMs)
      // Upper bound: a success's next refresh point is at least lifetime - 1.1 × window later (jitter 0.1).
      const upper = 1 + Math.floor((END - START) / (lifetimeMs - 1.1 * adv))
      // Lower bound: between outages, once recovered (a retry within the back-off cap, or the
      // next caller if the value expired), a refresh lands at least every lifetime - window + latency.
      const recoverMs = BACKOFF_CAP_MS + MAX_CALLER_GAP_MS + 2 * MAX_LATENCY_MS
      const healthy = [
        (r.outages[0]?.start ?? END) - START,
        ...r.outages.map((o, i) => (r.outages[i + 1]?.start ?? END) - o.end - recoverMs),
      ]
      const lower = healthy.reduce((n, ms) => n + Math.max(0, Math.floor(ms / (lifetimeMs - adv + MAX_LATENCY_MS))), 0)
      const count = (x: Recovery): number => r.outages.filter((o) => o.recovery === x).length
      row([
        label(lifetimeMs),
        'jitter 0.1, random callers, latency and outages',
        r.fetches,
        `${r.successes} (${lower}..${upper})`,
        r.failures,
        r.calls,
        r.errors,
        `${r.outages.length}: ${count('retried')} / ${count('next-call')} / ${count('unaffected')}`,
        r.maxInFlight,
        r.maxTimers,
      ])
      expect(r.successes).toBeLessThanOrEqual(upper)
      expect(r.successes).toBeGreaterThanOrEqual(lower)
      // Failures per outage: retries spaced by the doubling back-off (at least half its ceiling), plus one per caller after expiry.
      for (const o of r.outages)
        expect(o.failures).toBeLessThanOrEqual(maxRetries(o.end - o.start + MAX_LATENCY_MS) + o.callerErrors)
      const checked = r.outages.filter((o) => o.end + BACKOFF_CAP_MS + 2 * MAX_LATENCY_MS + 1 < END)
      expect(
        checked.filter((o) => o.recovery !== 'retried' && o.recovery !== 'next-call' && o.recovery !== 'unaffected'),
      ).toEqual([])
      expect(count('retried')).toBeGreaterThan(0) // not vacuous: some outages hit a value in its windows
      expect(r).toMatchObject({
        maxInFlight: 1,
        maxTimers: 1,
        timersAfterClose: 0,
        expiredServed: 0,
        errorsWhileValid: 0,
        retriesInsideBackoff: 0,
        wrongErrors: [],
      })
      expect(r.served + r.errors).toBe(r.calls)
      expect(r.failures).toBeGreaterThan(0) // the outages did bite
      expect(unhandled).toEqual([])
    },
  )
})
