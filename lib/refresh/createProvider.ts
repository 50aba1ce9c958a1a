import { CredentialError } from '../errors.js'
import { backoffMs } from '../internal/backoff.js'
import { defined } from '../internal/defined.js'
import { sourceName } from '../internal/sourceName.js'
import { toCredentialError } from '../internal/toCredentialError.js'
import type { AwsCredentialIdentity, CredentialSource, RefreshingProvider, SourceContext } from '../types.js'
import { logRefreshEvent } from './logRefreshEvent.js'
import { decide, NO_POINTS, type PolicyState, refreshPoints, retryTimerAt } from './policy.js'
import { rearmingTimer } from './rearmingTimer.js'
import type { RefreshEvent, RefreshReason } from './RefreshEvent.js'
import type { RefreshConfig } from './refreshConfig.js'
import { bounded as boundedWait, expirationMs, waitFor } from './waits.js'

/** The cached value and its refresh points: what `decide` reads. */
interface State extends PolicyState {
  value: AwsCredentialIdentity | undefined
  refreshAt: number
  mandatoryAt: number
  expiresAt: number
  retryAt: number
}

const noop = (): void => undefined
const SUFFIX = 4
const EMPTY = { value: undefined, ...NO_POINTS, retryAt: 0 }

/**
 * The provider `withRefresh` returns, for validated options: the state of one cache, the one
 * fetch in flight, and the one timer, following the decisions of policy.ts.
 *
 * @internal
 */
export const createProvider = (self: CredentialSource, c: RefreshConfig): RefreshingProvider => {
  const name = sourceName(self)
  const s: State = { ...EMPTY }
  /** `Promise.resolve(value)`, made once per value so cached calls allocate nothing. */
  let settled: Promise<AwsCredentialIdentity> = undefined as never
  let inflight: Promise<AwsCredentialIdentity> | undefined
  /** The fetch in flight raced against `waitMs`: one timer per refresh, not per caller. */
  let bounded: { of: Promise<AwsCredentialIdentity>; race: Promise<AwsCredentialIdentity | undefined> } | undefined
  let failures = 0
  let staleReported = false
  let closed = false
  /** Bumped by `invalidate()`: a fetch started under an older generation stores nothing. */
  let generation = 0
  const { now } = c
  const timer = rearmingTimer(now, () => {
    if (!closed) startBackground('background')
  })
  const schedule = (at: number): void => timer.schedule(closed || !c.background ? Infinity : at)
  const emit = (event: RefreshEvent): void => {
    if (c.logger) logRefreshEvent(c.logger, name, event)
    try {
      c.onEvent?.(event)
    } catch {
      /* an observer must not break refreshes */
    }
  }

  const store = (creds: AwsCredentialIdentity, startedAt: number, reason: RefreshReason, g: number) => {
    const t = now()
    const exp = expirationMs(creds, name)
    if (exp <= t)
      throw new CredentialError(`${name} returned expired credentials (${new Date(exp).toISOString()})`, {
        code: 'Expired',
        source: name,
      })
    // Fetched before invalidate(): its own callers get it, the cache does not.
    if (g !== generation) return creds
    Object.assign(s, refreshPoints(exp, t, c, c.random), { value: creds, retryAt: 0 })
    settled = Promise.resolve(creds)
    failures = 0
    schedule(s.refreshAt)
    emit({
      type: 'refresh-succeeded',
      reason,
      at: t,
      durationMs: t - startedAt,
      expiration: creds.expiration,
      refreshAt: s.refreshAt,
      accessKeyIdSuffix: creds.accessKeyId.slice(-SUFFIX),
    })
    return creds
  }

  const fail = (e: unknown, startedAt: number, reason: RefreshReason, g: number): never => {
    const error = toCredentialError(e, name)
    if (g !== generation) throw error
    const t = now()
    failures += 1
    staleReported = false
    const delayMs = backoffMs(failures, c.backoffBaseMs, c.backoffMaxMs, c.random)
    const retryAt = (s.retryAt = t + delayMs)
    emit({ type: 'refresh-failed', reason, at: t, durationMs: t - startedAt, error, failures })
    emit({ type: 'backoff', at: t, delayMs, retryAt, failures })
    schedule(retryTimerAt(s, retryAt))
    throw error
  }

  /** Starts the one fetch, or joins the one in flight. Its promise never goes unhandled. */
  const refresh = (reason: RefreshReason, context: SourceContext | undefined): Promise<AwsCredentialIdentity> => {
    if (inflight) return inflight
    const startedAt = now()
    emit({ type: 'refresh-started', reason, at: startedAt })
    // The caller's signal is not passed on: one caller giving up must not abort the fetch
    // others wait for. `forceRefresh` is, so a source with its own cache (an SDK chain) skips it.
    const forced = reason === 'forced'
    const callerClientConfig = context?.callerClientConfig
    const sourceContext =
      callerClientConfig || forced ? defined({ callerClientConfig, forceRefresh: forced || undefined }) : undefined
    const g = generation
    const p = Promise.resolve()
      .then(() => self(sourceContext))
      .then((creds) => store(creds, startedAt, reason, g))
      .catch((e: unknown) => fail(e, startedAt, reason, g))
      .finally(() => {
        if (inflight === p) inflight = undefined
      })
    p.catch(noop)
    return (inflight = p)
  }

  const startBackground = (reason: RefreshReason): void => {
    if (!inflight && now() >= s.retryAt) refresh(reason, undefined).catch(noop)
  }

  const serveStale = (): Promise<AwsCredentialIdentity> => {
    if (!staleReported) {
      staleReported = true
      emit({ type: 'stale-served', at: now(), expiration: s.value?.expiration })
    }
    return settled
  }

  const valid = (): boolean => s.value !== undefined && now() < s.expiresAt
  const waitBounded = (context: SourceContext | undefined): Promise<AwsCredentialIdentity> => {
    const p = refresh('mandatory', context)
    if (bounded?.of !== p) bounded = { of: p, race: boundedWait(p, c.waitMs, valid) }
    // The stale fallback answers the fetch's failure only; the caller's abort, raced outside
    // it, rejects with `Aborted` even while a still-valid value is cached.
    const answer = bounded.race.then(
      (creds) => creds ?? (valid() ? serveStale() : p),
      (e: unknown) => {
        if (valid()) return serveStale()
        throw e
      },
    )
    return waitFor(answer, context, name)
  }

  const slowPath = (context: SourceContext | undefined): Promise<AwsCredentialIdentity> => {
    const d = decide(s, now(), context?.forceRefresh === true)
    if (d === 'background') startBackground('advisory')
    return d === 'fresh' || d === 'background'
      ? settled
      : d === 'stale'
        ? serveStale()
        : d === 'wait'
          ? waitBounded(context)
          : waitFor(refresh(d, context), context, name)
  }

  const provider = (context?: SourceContext): Promise<AwsCredentialIdentity> =>
    now() < s.refreshAt && context?.forceRefresh !== true ? settled : slowPath(context)

  return Object.assign(provider, {
    memoized: true as const,
    current: (): AwsCredentialIdentity | undefined => (valid() ? s.value : undefined),
    invalidate: (): void => {
      Object.assign(s, EMPTY)
      settled = undefined as never
      failures = 0
      inflight = undefined
      generation += 1
      schedule(Infinity)
    },
    close: (): void => {
      closed = true
      schedule(Infinity)
      self.close?.()
    },
  })
}
