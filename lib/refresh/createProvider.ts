import { CredentialError } from '../errors.js'
import { backoffMs } from '../internal/backoff.js'
import { sourceName } from '../internal/sourceName.js'
import { toCredentialError } from '../internal/toCredentialError.js'
import type { AwsCredentialIdentity, CredentialSource, RefreshingProvider, SourceContext } from '../types.js'
import { logRefreshEvent } from './logRefreshEvent.js'
import { decide, NO_POINTS, type PolicyState, refreshPoints, retryTimerAt } from './policy.js'
import { rearmingTimer } from './rearmingTimer.js'
import type { RefreshEvent, RefreshReason } from './RefreshEvent.js'
import type { RefreshConfig } from './refreshConfig.js'
import { bounded, expirationMs, waitFor } from './waits.js'

/** Everything a provider knows; one object so the hot path reads plain fields. */
interface State extends PolicyState {
  value: AwsCredentialIdentity | undefined
  /** `Promise.resolve(value)`, made once per value so cached calls allocate nothing. */
  settled: Promise<AwsCredentialIdentity>
  refreshAt: number
  mandatoryAt: number
  expiresAt: number
  inflight: Promise<AwsCredentialIdentity> | undefined
  /** The fetch in flight raced against `waitMs` (rule 9): one timer per refresh, not per caller. */
  bounded:
    | { readonly of: Promise<AwsCredentialIdentity>; readonly race: Promise<AwsCredentialIdentity | undefined> }
    | undefined
  failures: number
  retryAt: number
  staleReported: boolean
  closed: boolean
  /** Bumped by `invalidate()`: a fetch started under an older generation stores nothing. */
  generation: number
}

const noop = (): void => undefined
const SUFFIX = 4

/**
 * The provider `withRefresh` returns, for validated options: the state of one cache, the one
 * fetch in flight, and the one timer, following the decisions of policy.ts.
 *
 * @internal
 */
export const createProvider = (self: CredentialSource, c: RefreshConfig): RefreshingProvider => {
  const name = sourceName(self)
  const s: State = {
    value: undefined,
    settled: undefined as never,
    ...NO_POINTS,
    inflight: undefined,
    bounded: undefined,
    failures: 0,
    retryAt: 0,
    staleReported: false,
    closed: false,
    generation: 0,
  }
  const timer = rearmingTimer(c.now, () => {
    if (!s.closed) startBackground('background')
  })
  const schedule = (at: number): void => timer.schedule(s.closed || !c.background ? Infinity : at)
  const emit = (event: RefreshEvent): void => {
    if (c.logger !== undefined) logRefreshEvent(c.logger, name, event)
    if (c.onEvent === undefined) return
    try {
      c.onEvent(event)
    } catch {
      /* an observer must not break refreshes */
    }
  }

  const store = (
    creds: AwsCredentialIdentity,
    startedAt: number,
    reason: RefreshReason,
    generation: number,
  ): AwsCredentialIdentity => {
    const t = c.now()
    const exp = expirationMs(creds, name)
    if (exp <= t)
      throw new CredentialError(
        `${name} returned credentials that are already expired (${new Date(exp).toISOString()})`,
        { code: 'Expired', source: name },
      )
    // Fetched before invalidate(): its own callers get it, the cache does not.
    if (generation !== s.generation) return creds
    Object.assign(s, refreshPoints(exp, t, c, c.random), {
      value: creds,
      settled: Promise.resolve(creds),
      failures: 0,
      retryAt: 0,
    })
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
    schedule(retryTimerAt(s, s.retryAt))
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
    const sourceContext =
      context?.callerClientConfig === undefined && !forced
        ? undefined
        : {
            ...(context?.callerClientConfig === undefined ? {} : { callerClientConfig: context.callerClientConfig }),
            ...(forced ? { forceRefresh: true } : {}),
          }
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

  const serveStale = (): Promise<AwsCredentialIdentity> => {
    if (!s.staleReported) {
      s.staleReported = true
      emit({ type: 'stale-served', at: c.now(), expiration: s.value?.expiration })
    }
    return s.settled
  }

  const valid = (): boolean => s.value !== undefined && c.now() < s.expiresAt
  const waitBounded = (context: SourceContext | undefined): Promise<AwsCredentialIdentity> => {
    const p = refresh('mandatory', context)
    if (s.bounded?.of !== p) s.bounded = { of: p, race: bounded(p, c.waitMs, valid) }
    // The stale fallback answers the fetch's failure only; the caller's abort, raced outside
    // it, rejects with `Aborted` even while a still-valid value is cached.
    const answer = s.bounded.race.then(
      (creds) => creds ?? (valid() ? serveStale() : p),
      (e: unknown) => {
        if (valid()) return serveStale()
        throw e
      },
    )
    return waitFor(answer, context, name)
  }

  const slowPath = (context: SourceContext | undefined): Promise<AwsCredentialIdentity> => {
    const d = decide(s, c.now(), context?.forceRefresh === true)
    switch (d.action) {
      case 'fetch':
        return waitFor(refresh(d.reason, context), context, name)
      case 'background':
        startBackground('advisory')
        return s.settled
      case 'fresh':
        return s.settled
      case 'stale':
        return serveStale()
      case 'wait':
        return waitBounded(context)
    }
  }

  const now = c.now
  const provider = (context?: SourceContext): Promise<AwsCredentialIdentity> =>
    now() < s.refreshAt && context?.forceRefresh !== true ? s.settled : slowPath(context)

  return Object.assign(provider, {
    memoized: true as const,
    current: (): AwsCredentialIdentity | undefined => (valid() ? s.value : undefined),
    invalidate: (): void => {
      Object.assign(s, NO_POINTS, {
        value: undefined,
        settled: undefined,
        failures: 0,
        retryAt: 0,
        inflight: undefined,
      })
      s.generation += 1
      schedule(Infinity)
    },
    close: (): void => {
      s.closed = true
      schedule(Infinity)
      self.close?.()
    },
  })
}
