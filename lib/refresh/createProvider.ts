import { abortable } from '../internal/abortable.js'
import { backoffMs } from '../internal/backoff.js'
import { defined } from '../internal/defined.js'
import { sourceName } from '../internal/sourceName.js'
import { abortError } from '../internal/stsErrors.js'
import { toCredentialError } from '../internal/toCredentialError.js'
import type { AwsCredentialIdentity, CredentialSource, RefreshingProvider, SourceContext } from '../types.js'
import { logRefreshEvent } from './logRefreshEvent.js'
import { decide, NO_POINTS, type PolicyState, refreshPoints, retryTimerAt } from './policy.js'
import { rearmingTimer } from './rearmingTimer.js'
import type { RefreshEvent, RefreshReason } from './RefreshEvent.js'
import type { RefreshConfig } from './refreshConfig.js'
import { expiresAt } from './expiresAt.js'

/**
 * The cache: the value, its refresh points and the failures since it was fetched. Replaced
 * whole by each success, failure and `invalidate()`, never edited field by field.
 */
interface State extends PolicyState {
  readonly value: AwsCredentialIdentity | undefined
  /** `Promise.resolve(value)`, made once per value so cached calls allocate nothing. */
  readonly settled: Promise<AwsCredentialIdentity>
  /** Consecutive failed refreshes. */
  readonly failures: number
}

const noop = (): void => undefined
const EMPTY: State = { value: undefined, settled: undefined as never, ...NO_POINTS, retryAt: 0, failures: 0 }

/**
 * The provider `withRefresh` returns, for validated options: the state of one cache, the one
 * fetch in flight, and the one timer, following the decisions of policy.ts.
 *
 * @internal
 */
export const createProvider = (self: CredentialSource, c: RefreshConfig): RefreshingProvider => {
  const name = sourceName(self)
  const { now } = c
  let s = EMPTY
  /**
   * The one fetch in flight. `invalidate()` forgets it: a fetch that is no longer the one in
   * flight when it settles answers its own callers and changes nothing else.
   */
  let inflight: Promise<AwsCredentialIdentity> | undefined
  /** The fetch in flight bounded by `waitMs` (rule 9): one timer per fetch, not per caller. */
  let bounded: Promise<AwsCredentialIdentity> | undefined
  let staleReported = false
  /** Whether the timer may refresh (rule 8): the option, until `close()`. */
  let background = c.background
  // The timer is due only at a refresh point or the end of a back-off (never after close()),
  // and joins a fetch already in flight.
  const armTimer = rearmingTimer(now, () => void refresh('background'))
  const schedule = (at: number): void => armTimer(background ? at : Infinity)
  const emit = (event: RefreshEvent): void => {
    if (c.logger) logRefreshEvent(c.logger, name, event)
    try {
      c.onEvent?.(event)
    } catch {
      /* an observer must not break refreshes */
    }
  }

  /**
   * Lets one caller stop waiting when its own signal aborts, without aborting the shared fetch:
   * `Aborted` (`Timeout` for an `AbortSignal.timeout()`), as an STS source's call would fail.
   */
  const waitFor = (p: Promise<AwsCredentialIdentity>, context: SourceContext | undefined) =>
    abortable(p, { signal: context?.signal, aborted: (signal) => abortError(name, signal) })

  /** Starts the one fetch, or joins the one in flight. Its promise never goes unhandled. */
  const refresh = (reason: RefreshReason, context?: SourceContext): Promise<AwsCredentialIdentity> => {
    if (inflight) return inflight
    bounded = undefined
    const startedAt = now()
    emit({ type: 'refresh-started', reason, at: startedAt })
    /** The fields a success and a failure share. */
    const ended = (at: number) => ({ reason, at, durationMs: at - startedAt })
    // The caller's signal is not passed on: one caller giving up must not abort the fetch
    // others wait for. `forceRefresh` is, so a source with its own cache (an SDK chain) skips it.
    // No context at all when there is nothing to pass.
    const callerClientConfig = context?.callerClientConfig
    const sourceContext =
      reason === 'forced'
        ? defined({ callerClientConfig, forceRefresh: true })
        : callerClientConfig && { callerClientConfig }
    const p: Promise<AwsCredentialIdentity> = Promise.resolve()
      .then(() => self(sourceContext))
      .then((creds) => {
        const at = now()
        const expiry = expiresAt(creds, name, at)
        if (inflight === p) {
          inflight = undefined
          // No back-off, no failures: EMPTY's counters.
          s = { ...EMPTY, value: creds, settled: Promise.resolve(creds), ...refreshPoints(expiry, at, c) }
          schedule(s.refreshAt)
          emit({
            type: 'refresh-succeeded',
            ...ended(at),
            expiration: creds.expiration,
            refreshAt: s.refreshAt,
            accessKeyIdSuffix: creds.accessKeyId.slice(-4),
          })
        }
        return creds
      })
      .catch((e: unknown) => {
        const error = toCredentialError(e, name)
        if (inflight === p) {
          inflight = undefined
          const at = now()
          const failures = s.failures + 1
          // The cap is never below the base delay.
          const delayMs = backoffMs(failures, c.backoffBaseMs, Math.max(c.backoffMaxMs, c.backoffBaseMs), c.random)
          const retryAt = at + delayMs
          s = { ...s, retryAt, failures }
          staleReported = false
          emit({ type: 'refresh-failed', ...ended(at), error, failures })
          emit({ type: 'backoff', at, delayMs, retryAt, failures })
          schedule(retryTimerAt(s))
        }
        throw error
      })
    p.catch(noop)
    return (inflight = p)
  }

  const serveStale = (): Promise<AwsCredentialIdentity> => {
    if (!staleReported) {
      staleReported = true
      emit({ type: 'stale-served', at: now(), expiration: s.value?.expiration })
    }
    return s.settled
  }

  const valid = (): boolean => now() < s.expiresAt
  /**
   * Rule 9: the one refresh, or after `waitMs` the still-valid cached value; the same when it
   * fails. With nothing valid by then, its outcome. The caller's abort, raced outside, rejects
   * with `Aborted` (or `Timeout`) even while a still-valid value is cached.
   */
  const waitBounded = (context: SourceContext | undefined): Promise<AwsCredentialIdentity> => {
    const p = refresh('mandatory', context)
    bounded ??= abortable(p, { timeoutMs: c.waitMs }).catch(() => (valid() ? serveStale() : p))
    return waitFor(bounded, context)
  }

  const slowPath = (context: SourceContext | undefined): Promise<AwsCredentialIdentity> => {
    const d = decide(s, now(), context?.forceRefresh === true)
    // decide() said no back-off is pending; a fetch in flight is joined.
    if (d === 'advisory') void refresh(d)
    return d === 'fresh' || d === 'advisory'
      ? s.settled
      : d === 'stale'
        ? serveStale()
        : d === 'wait'
          ? waitBounded(context)
          : waitFor(refresh(d, context), context)
  }

  const provider = (context?: SourceContext): Promise<AwsCredentialIdentity> =>
    now() < s.refreshAt && context?.forceRefresh !== true ? s.settled : slowPath(context)

  return Object.assign(provider, {
    memoized: true as const,
    current: (): AwsCredentialIdentity | undefined => (valid() ? s.value : undefined),
    invalidate: (): void => {
      s = EMPTY
      inflight = undefined
      schedule(Infinity)
    },
    close: (): void => {
      background = false
      schedule(Infinity)
      self.close?.()
    },
  })
}
