// Property-based tests of the refresh engine: fast-check generates schedules of caller
// bursts (some forced or aborted), time passing (timers fire), wall-clock jumps forward and
// back (timers keep their delay, as after a suspend or an NTP step), invalidations, and what
// each source call does (latency, lifetime, success or one of five failures), under random
// options. An interpreter runs
// each schedule with Jest fake timers against an instrumented source and an independent
// model of rules 3-7, and records every broken invariant; fast-check shrinks a failure to a
// minimal schedule. FC_SEED and FC_RUNS override the fixed seed and the number of runs.
import fc from 'fast-check'
import { CredentialError } from '../../lib/errors'
import { withRefresh } from '../../lib/refresh/withRefresh'
import type { AwsCredentialIdentity, CredentialSource, RefreshingProvider } from '../../lib/types'
import { fakeSource } from '../support/fakeSource'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const START = Date.parse('2026-01-01T00:00:00Z')
const SEED = Number(process.env.FC_SEED ?? 72_026)
const RUNS = Number(process.env.FC_RUNS ?? 1_000)

type Outcome = 'ok' | 'retryable' | 'rejected' | 'expired' | 'invalid' | 'throws'
/** What one source call does; durations are per-mille of the scenario's scale. */
interface Fetch {
  readonly outcome: Outcome
  readonly lifetime: number | undefined
  readonly latency: number
}
interface Call {
  readonly force: boolean
  readonly abort: boolean
}
type Step =
  | { readonly kind: 'calls'; readonly calls: readonly Call[] }
  | { readonly kind: 'advance'; readonly by: number }
  | { readonly kind: 'jump'; readonly by: number }
  /** Moves the clock into the cached value's windows: `at` per-mille of the way from its refresh point to its expiry. */
  | { readonly kind: 'toWindow'; readonly at: number; readonly jump: boolean }
  | { readonly kind: 'invalidate' }
interface Options {
  readonly earlyMs?: number
  readonly mandatoryMs?: number
  readonly jitter?: number
  readonly background: boolean
  readonly backoffBaseMs?: number
  readonly backoffMaxMs?: number
}
interface Scenario {
  readonly scaleMs: number
  readonly random: number
  readonly options: Options
  readonly fetches: readonly Fetch[]
  readonly steps: readonly Step[]
}

/** true about once in `n` draws. */
const oneIn = (n: number): fc.Arbitrary<boolean> => fc.integer({ min: 1, max: n }).map((i) => i === 1)

const perMille = (scaleMs: number, n: number): number => Math.round((scaleMs * n) / 1000)

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    scaleMs: fc.oneof(
      fc.constantFrom(5_000, MIN, 15 * MIN, HOUR, 12 * HOUR, 3 * DAY),
      fc.integer({ min: 1_000, max: 3 * DAY }),
    ),
    random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    early: fc.option(fc.integer({ min: 0, max: 2000 })),
    mandatory: fc.option(fc.integer({ min: 0, max: 1000 })),
    jitter: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    background: fc.boolean(),
    backoffBaseMs: fc.option(fc.integer({ min: 1, max: 10_000 })),
    backoffMaxMs: fc.option(fc.integer({ min: 1, max: 120_000 })),
    fetches: fc.array(
      fc.record({
        outcome: fc.constantFrom<Outcome>(
          'ok',
          'ok',
          'ok',
          'ok',
          'retryable',
          'rejected',
          'expired',
          'invalid',
          'throws',
        ),
        lifetime: fc.oneof(
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 12, arbitrary: fc.integer({ min: 20, max: 4000 }) },
        ),
        latency: fc.oneof(
          { weight: 3, arbitrary: fc.constant(0) },
          { weight: 2, arbitrary: fc.integer({ min: 1, max: 600 }) },
        ),
      }),
      { minLength: 1, maxLength: 8, size: 'max' },
    ),
    steps: fc.array(
      fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('calls'),
            calls: fc.array(fc.record({ force: oneIn(5), abort: oneIn(8) }), { minLength: 1, maxLength: 5 }),
          }),
        },
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('advance'),
            by: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2000 })),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('jump'), by: fc.integer({ min: -1000, max: 5000 }) }) },
        {
          weight: 3,
          arbitrary: fc.record({
            kind: fc.constant('toWindow'),
            at: fc.integer({ min: 0, max: 1100 }),
            jump: fc.boolean(),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidate') }) },
      ) as fc.Arbitrary<Step>,
      { minLength: 1, maxLength: 60, size: 'max' },
    ),
  })
  .map(({ scaleMs, random, early, mandatory, jitter, background, backoffBaseMs, backoffMaxMs, fetches, steps }) => {
    const earlyMs = early === null ? undefined : perMille(scaleMs, early)
    // mandatoryMs may be at most half of an explicit earlyMs (checked at construction).
    const mandatoryMs =
      mandatory === null
        ? undefined
        : earlyMs === undefined
          ? perMille(scaleMs, mandatory)
          : Math.floor(((earlyMs / 2) * mandatory) / 1000)
    const options: Options = {
      background,
      ...(earlyMs === undefined ? {} : { earlyMs }),
      ...(mandatoryMs === undefined ? {} : { mandatoryMs }),
      ...(jitter === null ? {} : { jitter }),
      ...(backoffBaseMs === null ? {} : { backoffBaseMs }),
      ...(backoffMaxMs === null ? {} : { backoffMaxMs }),
    }
    return { scaleMs, random, options, fetches, steps }
  })

/** The provider's state as rules 3-7 say it must be, kept from what the source returned. */
interface Model {
  value: AwsCredentialIdentity | undefined
  expiresAt: number
  /** The jittered refresh point (rule 3/4 boundary), and the width of the windows after it. */
  refreshAt: number
  windowMs: number
  failures: number
  retryAt: number
  /** Non-forced source calls while this value was cached and unexpired. */
  tries: number
  /** The wall clock went back since this value was stored, so it may live its windows twice. */
  rewound: boolean
}

/** The model of a provider with nothing cached: at the start, and after `invalidate()`. */
const emptyModel = (): Model => ({
  value: undefined,
  expiresAt: -Infinity,
  refreshAt: -Infinity,
  windowMs: 0,
  failures: 0,
  retryAt: 0,
  tries: 0,
  rewound: false,
})

interface World {
  readonly sc: Scenario
  readonly model: Model
  readonly minted: Set<AwsCredentialIdentity>
  /** Codes a caller may legitimately see: those the source produced, plus Aborted. */
  readonly codes: Set<string>
  readonly violations: string[]
  sourceCalls: number
  inFlight: number
  /** Source calls in flight that started since the last invalidate(); older ones store nothing. */
  inFlightCurrent: number
  generation: number
  latencyTimers: number
  pendingCalls: number
  /** A forced call was made since the last source call started. */
  forced: boolean
}

const defaultEarlyMs = (lifetimeMs: number): number =>
  lifetimeMs < 20 * MIN ? 5 * MIN : lifetimeMs < 90 * MIN ? 15 * MIN : 60 * MIN
const backoffCeiling = (w: World, failures: number): number => {
  const base = w.sc.options.backoffBaseMs ?? 1_000
  return Math.min(Math.max(w.sc.options.backoffMaxMs ?? 60_000, base), base * 2 ** Math.max(0, failures - 1))
}

/**
 * (d) The most non-forced source calls one value can see while unexpired: the first at its
 * refresh point at the earliest, each next one at least half a back-off ceiling later
 * (the ceiling doubles per consecutive failure, up to the cap), all before expiry.
 */
const maxTriesPerLifetime = (w: World, windowMs: number): number => {
  const capGap = backoffCeiling(w, Infinity) / 2
  for (let gaps = 0, spent = 0; ; gaps += 1) {
    const gap = backoffCeiling(w, gaps + 1) / 2
    if (gap === capGap) return 1 + gaps + Math.max(0, Math.floor((windowMs + 1 - spent) / gap)) // every further gap is the cap
    if (spent + gap > windowMs + 1) return 1 + gaps
    spent += gap
  }
}

const violation = (w: World, message: string): void => {
  w.violations.push(`${message} (at +${Date.now() - START} ms)`)
}

const storeInModel = (w: World, creds: AwsCredentialIdentity, now: number): void => {
  const m = w.model
  const expiresAt = creds.expiration?.getTime() ?? Infinity
  const lifetimeMs = expiresAt - now
  const advisoryMs = Math.min(w.sc.options.earlyMs ?? defaultEarlyMs(lifetimeMs), lifetimeMs / 2)
  const refreshAt =
    expiresAt - Math.min(advisoryMs * (1 + w.sc.random * (w.sc.options.jitter ?? 0.1)), 0.75 * lifetimeMs)
  Object.assign(m, {
    value: creds,
    expiresAt,
    refreshAt,
    windowMs: expiresAt - refreshAt,
    failures: 0,
    retryAt: 0,
    tries: 0,
    rewound: false,
  })
}

const failInModel = (w: World, code: string, now: number): void => {
  const m = w.model
  m.failures += 1
  const ceiling = backoffCeiling(w, m.failures)
  m.retryAt = now + ceiling / 2 + w.sc.random * (ceiling / 2)
  w.codes.add(code)
}

/** (b), (c), (d): checked whenever the source is called, whoever called it. */
const checkSourceStart = (w: World, now: number): void => {
  const m = w.model
  if (w.inFlightCurrent > 0) violation(w, '(b) a second source call started while one was in flight')
  const forced = w.forced
  w.forced = false
  if (forced || m.value === undefined || now >= m.expiresAt) return
  if (now < m.refreshAt - 1)
    violation(
      w,
      `(c) the source was called while the cached value was fresh (refresh point +${Math.round(m.refreshAt - START)} ms)`,
    )
  if (now < m.retryAt - 1)
    violation(w, `(d) the source was called inside the back-off (retry at +${Math.round(m.retryAt - START)} ms)`)
  m.tries += 1
  const max = maxTriesPerLifetime(w, m.windowMs)
  if (m.tries > max && !m.rewound)
    violation(w, `(d) ${m.tries} source calls for one credential lifetime, more than the ${max} its windows allow`)
}

const delay = (w: World, ms: number): Promise<void> => {
  if (ms === 0) return Promise.resolve()
  w.latencyTimers += 1
  return new Promise((resolve) =>
    setTimeout(() => {
      w.latencyTimers -= 1
      resolve()
    }, ms),
  )
}

/** Settles one fetch as scripted, telling the model first (the provider stores or fails in the same tick). */
const settle = (w: World, fetch: Fetch, n: number, startedAt: number, current = true): AwsCredentialIdentity => {
  const now = Date.now()
  // A fetch started before invalidate() answers its own callers and changes nothing else.
  const modelStore = current ? storeInModel : (): void => undefined
  const modelFail = current
    ? failInModel
    : (ww: World, code: string): void => {
        ww.codes.add(code)
      }
  const lifetimeMs = fetch.lifetime === undefined ? undefined : Math.max(1, perMille(w.sc.scaleMs, fetch.lifetime))
  switch (fetch.outcome) {
    case 'ok': {
      const creds: AwsCredentialIdentity = {
        accessKeyId: `ASIAPROP${n}`,
        secretAccessKey: `secret-${n}`,
        sessionToken: `token-${n}`,
        ...(lifetimeMs === undefined ? {} : { expiration: new Date(startedAt + lifetimeMs) }),
      }
      w.minted.add(creds)
      if ((creds.expiration?.getTime() ?? Infinity) > now) modelStore(w, creds, now)
      else modelFail(w, 'Expired', now) // the latency ate the whole lifetime (rule 7)
      return creds
    }
    case 'expired':
      modelFail(w, 'Expired', now)
      return {
        accessKeyId: `ASIAPROP${n}`,
        secretAccessKey: `secret-${n}`,
        expiration: new Date(now - 1 - (lifetimeMs ?? 0)),
      }
    case 'invalid':
      modelFail(w, 'InvalidCredentials', now)
      return { accessKeyId: `ASIAPROP${n}`, secretAccessKey: `secret-${n}`, expiration: 'tomorrow' as unknown as Date }
    case 'rejected':
      modelFail(w, 'StsRejected', now)
      throw new CredentialError('AccessDenied: not authorized to perform sts:AssumeRole', {
        code: 'StsRejected',
        source: 'fakeSts',
      })
    case 'retryable':
    case 'throws':
      modelFail(w, 'SourceFailed', now)
      throw Object.assign(new Error('503 Service Unavailable'), { $metadata: { httpStatusCode: 503 } })
  }
}

const instrumentedSource =
  (w: World): CredentialSource =>
  () => {
    const n = w.sourceCalls
    const fetch = w.sc.fetches[n % w.sc.fetches.length] as Fetch
    const startedAt = Date.now()
    checkSourceStart(w, startedAt)
    w.sourceCalls += 1
    if (fetch.outcome === 'throws') return settle(w, fetch, n, startedAt) as never // throws synchronously
    w.inFlight += 1
    w.inFlightCurrent += 1
    const generation = w.generation
    return delay(w, perMille(w.sc.scaleMs, fetch.latency)).then(() => {
      w.inFlight -= 1
      if (generation === w.generation) w.inFlightCurrent -= 1
      return settle(w, fetch, n, startedAt, generation === w.generation)
    })
  }

/** (a), (e) and rule 3 for one caller; the result is always handled. */
const call = (w: World, provider: RefreshingProvider, c: Call): void => {
  const m = w.model
  const fresh = !c.force && m.value !== undefined && Date.now() < m.refreshAt - 1
  const cached = m.value
  const controller = new AbortController()
  if (c.force) w.forced = true
  w.pendingCalls += 1
  const p = provider({ forceRefresh: c.force, ...(c.abort ? { signal: controller.signal } : {}) })
  if (c.abort) controller.abort()
  p.then(
    (value) => {
      w.pendingCalls -= 1
      const expiresAt = value.expiration?.getTime() ?? Infinity
      if (expiresAt <= Date.now()) violation(w, `(a) a caller got credentials that expired at +${expiresAt - START} ms`)
      if (!w.minted.has(value)) violation(w, '(a) a caller got credentials the source never returned')
      if (fresh && value !== cached)
        violation(w, 'rule 3: a call while the value was fresh did not get the cached value')
    },
    (e: unknown) => {
      w.pendingCalls -= 1
      if (!(e instanceof CredentialError) || (e as Error).name !== 'CredentialError')
        violation(w, `(e) a caller got ${String(e)}, not a CredentialError`)
      else if (!w.codes.has(e.code) && !(c.abort && e.code === 'Aborted'))
        violation(w, `(e) a caller got code ${e.code}, which no failure produced`)
    },
  )
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const checkAfterStep = (w: World, provider: RefreshingProvider): void => {
  const providerTimers = jest.getTimerCount() - w.latencyTimers
  // The background timer, and while a refresh is in flight the one waitMs bound of its waiters (rule 9).
  if (providerTimers > (w.sc.options.background ? 1 : 0) + (w.inFlight > 0 ? 1 : 0))
    violation(w, `rule 8: ${providerTimers} timers armed by the provider`)
  const current = provider.current()
  if (current?.expiration !== undefined && current.expiration.getTime() <= Date.now())
    violation(w, '(a) current() returned an expired value')
}

const runStep = async (w: World, provider: RefreshingProvider, step: Step): Promise<void> => {
  switch (step.kind) {
    case 'calls': {
      const before = w.sourceCalls
      const fresh =
        w.model.value !== undefined && Date.now() < w.model.refreshAt - 1 && !step.calls.some((c) => c.force)
      for (const c of step.calls) call(w, provider, c)
      await flush()
      w.forced = false // a forced call's own fetch has started by now, or it joined one in flight
      if (fresh && w.sourceCalls !== before) violation(w, '(c) calls while the value was fresh triggered a source call')
      break
    }
    case 'advance':
      await jest.advanceTimersByTimeAsync(perMille(w.sc.scaleMs, step.by))
      break
    case 'jump':
      jest.setSystemTime(Date.now() + perMille(w.sc.scaleMs, step.by))
      if (step.by < 0) w.model.rewound = true
      break
    case 'toWindow': {
      const m = w.model
      if (m.value === undefined || !Number.isFinite(m.expiresAt)) break
      const by = Math.max(0, Math.ceil(m.refreshAt + (m.windowMs * step.at) / 1000) - Date.now())
      if (step.jump) jest.setSystemTime(Date.now() + by)
      else await jest.advanceTimersByTimeAsync(by)
      break
    }
    case 'invalidate':
      provider.invalidate()
      w.generation += 1
      w.inFlightCurrent = 0
      Object.assign(w.model, emptyModel())
      break
  }
  await flush()
  checkAfterStep(w, provider)
}

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}

/** Runs one schedule and returns every broken invariant, in order. */
const runScenario = async (sc: Scenario): Promise<string[]> => {
  jest.useFakeTimers({ now: START, doNotFake: ['setImmediate', 'nextTick'] })
  const w: World = {
    sc,
    model: emptyModel(),
    minted: new Set(),
    codes: new Set(),
    violations: [],
    sourceCalls: 0,
    inFlight: 0,
    inFlightCurrent: 0,
    generation: 0,
    latencyTimers: 0,
    pendingCalls: 0,
    forced: false,
  }
  const unhandledBefore = unhandled.length
  try {
    const provider = withRefresh({ ...sc.options, random: () => sc.random })(instrumentedSource(w))
    for (const step of sc.steps) {
      await runStep(w, provider, step)
      if (w.violations.length > 0) return w.violations
    }
    provider.close()
    await jest.advanceTimersByTimeAsync(sc.scaleMs) // lets fetches in flight settle: latency is at most 0.6 × scale
    await flush()
    if (jest.getTimerCount() !== 0) violation(w, `rule 8: ${jest.getTimerCount()} timers left after close()`)
    if (w.pendingCalls !== 0) violation(w, `${w.pendingCalls} calls never settled`)
    await flush()
    if (unhandled.length > unhandledBefore)
      violation(w, `(f) unhandled rejection: ${String(unhandled[unhandledBefore])}`)
    return w.violations
  } finally {
    jest.useRealTimers()
  }
}

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
})

describe('withRefresh', () => {
  it('under any schedule of calls, clock jumps, latencies and failures, every invariant of rules 1-8 holds', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (sc) => {
        expect(await runScenario(sc)).toEqual([])
      }),
      { seed: SEED, numRuns: RUNS },
    )
  })

  // Found by the property above (shrunk: a forced refresh fails while a fresh value is cached).
  it('a failed forced refresh does not make the background timer call the source while the cached value is fresh', async () => {
    jest.useFakeTimers({ now: START, doNotFake: ['setImmediate', 'nextTick'] })
    try {
      const source = fakeSource(12 * HOUR)
      const provider = withRefresh({ jitter: 0 })(source)
      await provider()
      source.failWith(new Error('AccessDenied'))
      await expect(provider({ forceRefresh: true })).rejects.toMatchObject({ code: 'SourceFailed' })
      await jest.advanceTimersByTimeAsync(11 * HOUR - 1) // fresh until the advisory window, 1 h before expiry
      expect(source.calls).toBe(2)
      await jest.advanceTimersByTimeAsync(1) // the refresh point: now the retry is due
      expect(source.calls).toBe(3)
      provider.close()
      expect(jest.getTimerCount()).toBe(0)
    } finally {
      jest.useRealTimers()
    }
  })
})
