import { CredentialError } from '../errors.js'
import { abortable } from '../internal/abortable.js'
import { requireSource } from '../internal/validate.js'
import { sourceName } from '../internal/sourceName.js'
import { toCredentialError } from '../internal/toCredentialError.js'
import type { AwsCredentialIdentity, CredentialSource, RefreshingProvider, SourceContext } from '../types.js'
import { logRefreshEvent } from './logRefreshEvent.js'
import type { RefreshEvent, RefreshReason } from './RefreshEvent.js'
import { type RefreshConfig, type WithRefreshOptions, MAX_TIMER_MS, refreshConfig } from './refreshConfig.js'
import { backoffMs, refreshWindows } from './windows.js'

/** Everything a provider knows; one object so the hot path reads plain fields. */
interface State {
  value: AwsCredentialIdentity | undefined
  /** `Promise.resolve(value)`, made once per value so cached calls allocate nothing. */
  settled: Promise<AwsCredentialIdentity> | undefined
  /** Jittered start of the advisory window; -Infinity when nothing is cached. */
  refreshAt: number
  mandatoryAt: number
  expiresAt: number
  inflight: Promise<AwsCredentialIdentity> | undefined
  /** The fetch in flight raced against `waitMs` (rule 9): one timer per refresh, not per caller. */
  bounded: { readonly of: Promise<AwsCredentialIdentity>; readonly race: Promise<AwsCredentialIdentity | undefined> } | undefined
  failures: number
  /** End of the back-off after a failure; no call-started refresh before it. */
  retryAt: number
  staleReported: boolean
  timer: ReturnType<typeof setTimeout> | undefined
  /** When the armed timer fires, and when the next background refresh is due. */
  timerAt: number
  nextAt: number
  closed: boolean
  /** Bumped by `invalidate()`: a fetch started under an older generation stores nothing. */
  generation: number
}

const noop = (): void => undefined
const SUFFIX = 4
/** The jittered early window never exceeds this share of the lifetime. */
const MAX_EARLY_SHARE = 0.75

/**
 * Turns a source into a memoized, self-refreshing provider that every SDK client can
 * share. Caches the last credentials; calls the source only when nothing is cached, on
 * `forceRefresh`, or when the value enters its refresh windows (rules 1–9 in the README):
 * a background refresh in the advisory window, a waited one in the mandatory window (at most `waitMs` while a valid value is cached),
 * with still-valid credentials served through a failing source and jittered back-off.
 * Does not retry a failed fetch itself: compose `withRetry` for that.
 *
 * @param earlyMsOrOptions the advisory window in milliseconds, or {@link WithRefreshOptions}
 * @throws CredentialError `InvalidConfiguration` at once for bad options. Calls reject
 * only with `CredentialError`: a source's own passes through, anything else is
 * `SourceFailed` with `cause`; an expired value is never returned.
 * @example
 * ```ts
 * const credentials = pipe(fromAssumeRole({ RoleArn }), withRefresh(5 * 60_000))
 * const s3 = new S3Client({ credentials })
 * ```
 * @category refresh
 * @since 0.1.0
 */
export const withRefresh =
  (earlyMsOrOptions?: number | WithRefreshOptions): ((self: CredentialSource) => RefreshingProvider) => {
    const config = refreshConfig(earlyMsOrOptions)
    return (self) => {
      requireSource('withRefresh', self)
      return createProvider(self, config)
    }
  }

const createProvider = (self: CredentialSource, c: RefreshConfig): RefreshingProvider => {
  const name = sourceName(self)
  const s: State = {
    value: undefined, settled: undefined, refreshAt: -Infinity, mandatoryAt: -Infinity, expiresAt: -Infinity,
    inflight: undefined, bounded: undefined, failures: 0, retryAt: 0, staleReported: false, timer: undefined, timerAt: Infinity, nextAt: Infinity, closed: false, generation: 0,
  }
  const emit = (event: RefreshEvent): void => {
    if (c.logger !== undefined) logRefreshEvent(c.logger, name, event)
    if (c.onEvent === undefined) return
    try { c.onEvent(event) } catch { /* an observer must not break refreshes */ }
  }

  const store = (creds: AwsCredentialIdentity, startedAt: number, reason: RefreshReason, generation: number): AwsCredentialIdentity => {
    const t = c.now()
    const exp = expirationMs(creds, name)
    if (exp <= t) throw new CredentialError(`${name} returned credentials that are already expired (${new Date(exp).toISOString()})`, { code: 'Expired', source: name })
    // Fetched before invalidate(): its own callers get it, the cache does not.
    if (generation !== s.generation) return creds
    const { advisoryMs, mandatoryMs } = refreshWindows(exp - t, c.earlyMs, c.mandatoryMs)
    s.value = creds
    s.settled = Promise.resolve(creds)
    s.expiresAt = exp
    s.mandatoryAt = exp - mandatoryMs
    // Jitter widens the advisory window by up to `jitter` of itself, but the refresh point
    // stays at least a quarter of the lifetime after the fetch: even `jitter: 1` on a window
    // of half the lifetime cannot make every call refresh.
    s.refreshAt = exp - Math.min(advisoryMs * (1 + c.random() * c.jitter), (exp - t) * MAX_EARLY_SHARE)
    s.failures = 0
    s.retryAt = 0
    schedule(s.refreshAt)
    emit({ type: 'refresh-succeeded', reason, at: t, durationMs: t - startedAt, expiration: creds.expiration, refreshAt: s.refreshAt, accessKeyIdSuffix: creds.accessKeyId.slice(-SUFFIX) })
    return creds
  }

  const fail = (e: unknown, startedAt: number, reason: RefreshReason, generation: number): never => {
    const error = toCredentialError(e, name)
    if (generation !== s.generation) throw error
    const t = c.now()
    s.failures += 1
    s.staleReported = false
    const delayMs = backoffMs(s.failures, c.backoffBaseMs, c.backoffMaxMs, c.random)
    s.retryAt = t + delayMs
    emit({ type: 'refresh-failed', reason, at: t, durationMs: t - startedAt, error, failures: s.failures })
    emit({ type: 'backoff', at: t, delayMs, retryAt: s.retryAt, failures: s.failures })
    // Never before the refresh point: a failed forced refresh must not make the timer
    // call the source while the cached value is still fresh (rule 3).
    const retryAt = Math.max(s.retryAt, s.refreshAt)
    if (s.value !== undefined && retryAt < s.expiresAt) schedule(retryAt)
    throw error
  }

  /** Starts the one fetch, or joins the one in flight. Its promise never goes unhandled. */
  const refresh = (reason: RefreshReason, context: SourceContext | undefined): Promise<AwsCredentialIdentity> => {
    if (s.inflight !== undefined) return s.inflight
    const startedAt = c.now()
    emit({ type: 'refresh-started', reason, at: startedAt })
    // The caller's signal is not passed on: one caller giving up must not abort the fetch
    // others wait for. `forceRefresh` is, so a source with its own cache (an SDK chain) skips it.
    const forced = reason === 'forced'
    const sourceContext = context?.callerClientConfig === undefined && !forced
      ? undefined
      : { ...(context?.callerClientConfig === undefined ? {} : { callerClientConfig: context.callerClientConfig }), ...(forced ? { forceRefresh: true } : {}) }
    const generation = s.generation
    const p = Promise.resolve()
      .then(() => self(sourceContext))
      .then((creds) => store(creds, startedAt, reason, generation))
      .catch((e: unknown) => fail(e, startedAt, reason, generation))
      .finally(() => {
        if (s.inflight === p) s.inflight = undefined
      })
    s.inflight = p
    p.catch(noop)
    return p
  }

  const startBackground = (reason: RefreshReason): void => {
    if (s.inflight === undefined && c.now() >= s.retryAt) void refresh(reason, undefined).catch(noop)
  }

  const onTimer = (): void => {
    s.timer = undefined
    if (s.closed) return
    if (c.now() < s.nextAt) schedule(s.nextAt) // early: a long delay is split, or the target moved later
    else startBackground('background')
  }

  /**
   * Arms the one timer for `at`. A pending timer that fires no later than `at` is kept:
   * it re-arms itself when it fires. Clearing and re-creating an unref'd timer for every
   * refresh would leave one of Node's per-duration timer lists behind each time.
   */
  const schedule = (at: number): void => {
    s.nextAt = at
    if (s.closed || !c.background || !Number.isFinite(at)) return clearTimer()
    if (s.timer !== undefined && s.timerAt <= at) return
    clearTimer()
    const delay = Math.ceil(Math.min(Math.max(0, at - c.now()), MAX_TIMER_MS))
    s.timerAt = c.now() + delay
    s.timer = setTimeout(onTimer, delay)
    s.timer.unref()
  }

  const clearTimer = (): void => {
    if (s.timer !== undefined) clearTimeout(s.timer)
    s.timer = undefined
  }

  const serveStale = (): Promise<AwsCredentialIdentity> => {
    if (!s.staleReported) {
      s.staleReported = true
      emit({ type: 'stale-served', at: c.now(), expiration: s.value?.expiration })
    }
    return s.settled as Promise<AwsCredentialIdentity>
  }

  const slowPath = (context: SourceContext | undefined): Promise<AwsCredentialIdentity> => {
    if (context?.forceRefresh === true) return wait(refresh('forced', context), context, name)
    if (s.value === undefined) return wait(refresh('cold', context), context, name)
    const t = c.now()
    if (t >= s.expiresAt) return wait(refresh('expired', context), context, name)
    if (t < s.mandatoryAt) {
      startBackground('advisory')
      return s.settled as Promise<AwsCredentialIdentity>
    }
    if (t < s.retryAt) return serveStale()
    const valid = (): boolean => s.value !== undefined && c.now() < s.expiresAt
    const p = refresh('mandatory', context)
    if (s.bounded?.of !== p) s.bounded = { of: p, race: bounded(p, c.waitMs, valid) }
    return wait(s.bounded.race, context, name).then(
      (creds) => creds ?? (valid() ? serveStale() : wait(p, context, name)),
      (e: unknown) => {
        if (valid()) return serveStale()
        throw e
      },
    )
  }

  const now = c.now
  const provider = (context?: SourceContext): Promise<AwsCredentialIdentity> =>
    now() < s.refreshAt && context?.forceRefresh !== true ? (s.settled as Promise<AwsCredentialIdentity>) : slowPath(context)

  return Object.assign(provider, {
    memoized: true as const,
    current: (): AwsCredentialIdentity | undefined => (s.value !== undefined && c.now() < s.expiresAt ? s.value : undefined),
    invalidate: (): void => {
      Object.assign(s, { value: undefined, settled: undefined, refreshAt: -Infinity, mandatoryAt: -Infinity, expiresAt: -Infinity, failures: 0, retryAt: 0 })
      s.generation += 1
      s.inflight = undefined
      schedule(Infinity)
    },
    close: (): void => {
      s.closed = true
      schedule(Infinity)
      self.close?.()
    },
  })
}

const expirationMs = (creds: AwsCredentialIdentity, name: string): number => {
  if (creds === null || typeof creds !== 'object' || typeof creds.accessKeyId !== 'string') {
    throw new CredentialError(`${name} returned no credentials object`, { code: 'InvalidCredentials', source: name })
  }
  const exp = creds.expiration
  if (exp === undefined) return Infinity
  const ms = exp instanceof Date ? exp.getTime() : Number.NaN
  if (Number.isNaN(ms)) throw new CredentialError(`${name} returned an expiration that is not a valid Date`, { code: 'InvalidCredentials', source: name })
  return ms
}

/** Lets one caller stop waiting when its own signal aborts, without aborting the shared fetch. */
const wait = <T>(p: Promise<T>, context: SourceContext | undefined, name: string): Promise<T> =>
  abortable(p, {
    signal: context?.signal,
    aborted: (signal) => new CredentialError(`${name}: the caller aborted while waiting for credentials`, { code: 'Aborted', source: name, cause: signal.reason }),
  })

/**
 * `p`, or undefined once `waitMs` has passed while `valid()` still holds (rule 9): the
 * caller then gets the cached value and `p` goes on. At expiry the caller keeps waiting.
 */
const bounded = (p: Promise<AwsCredentialIdentity>, waitMs: number, valid: () => boolean): Promise<AwsCredentialIdentity | undefined> => {
  const raced = new Promise<AwsCredentialIdentity | undefined>((resolve, reject) => {
    const timer = setTimeout(() => { if (valid()) resolve(undefined) }, waitMs)
    timer.unref()
    p.then(resolve, reject).finally(() => clearTimeout(timer))
  })
  raced.catch(noop)
  return raced
}
