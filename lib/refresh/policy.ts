// The pure part of `withRefresh`: where a value's refresh points lie, and what one call does
// at a given moment (rules 1-6 and 9 of `withRefresh` in the README). No clock, no timer, no I/O:
// every input is an argument, so the rules can be read and tested as a table.
import type { RefreshReason } from './RefreshEvent.js'
import { windowsFor } from './lifetimeWindows.js'

/** Where one cached value's windows begin, in the provider's clock. */
export interface RefreshPoints {
  /** Jittered start of the advisory window; -Infinity when nothing is cached. */
  readonly refreshAt: number
  /** Start of the mandatory window. */
  readonly mandatoryAt: number
  readonly expiresAt: number
}

/** The options the arithmetic reads. */
export interface WindowOptions {
  readonly earlyMs?: number | undefined
  readonly mandatoryMs: number
  readonly jitter: number
  /** The random source of the jitter, in [0, 1). */
  readonly random: () => number
}

/** Nothing cached: every call is a fetch. */
export const NO_POINTS: RefreshPoints = { refreshAt: -Infinity, mandatoryAt: -Infinity, expiresAt: -Infinity }

/**
 * The refresh points of a value fetched at `now` that expires at `expiresAt` (rule 6).
 * Jitter widens the advisory window by up to `jitter` of itself, but the refresh point
 * stays at least a quarter of the lifetime after the fetch: even `jitter: 1` on a window
 * of half the lifetime cannot make every call refresh.
 */
export const refreshPoints = (expiresAt: number, now: number, o: WindowOptions): RefreshPoints => {
  const lifetimeMs = expiresAt - now
  const { advisoryMs, mandatoryMs } = windowsFor(lifetimeMs, o.earlyMs, o.mandatoryMs)
  const earlyMs = Math.min(advisoryMs * (1 + o.random() * o.jitter), lifetimeMs * 0.75) // at most 3/4 of the lifetime
  return { refreshAt: expiresAt - earlyMs, mandatoryAt: expiresAt - mandatoryMs, expiresAt }
}

/**
 * What one call does:
 * - `fresh`: the cached value, nothing else (rule 3; also the advisory window during a back-off);
 * - `advisory`: the cached value, and one refresh (reason `advisory`) unless one is in flight (rule 4);
 * - `stale`: the cached, still-valid value, because the back-off after a failure is pending (rule 5);
 * - `wait`: wait for the one refresh, at most `waitMs` while the value stays valid (rules 5 and 9);
 * - `cold`, `forced`, `expired`: wait for a fetch however long it takes, for that reason (rules 1, 2 and 7).
 */
export type Decision = 'fresh' | 'stale' | 'wait' | Extract<RefreshReason, 'advisory' | 'cold' | 'forced' | 'expired'>

/** What the decision reads of a provider's state. */
export interface PolicyState extends RefreshPoints {
  /** The cached value; undefined when nothing is cached. */
  readonly value: object | undefined
  /** End of the back-off after a failure; 0 when none is pending. */
  readonly retryAt: number
}

/** The decision for a call at `now` (`forced` for `forceRefresh: true`); allocates nothing. */
export const decide = (s: PolicyState, now: number, forced: boolean): Decision => {
  if (forced) return 'forced'
  if (s.value === undefined) return 'cold'
  if (now >= s.expiresAt) return 'expired'
  if (now < s.refreshAt) return 'fresh'
  if (now < s.mandatoryAt) return now < s.retryAt ? 'fresh' : 'advisory'
  return now < s.retryAt ? 'stale' : 'wait'
}

/**
 * When the timer should try again after a failed refresh that backed off until
 * `s.retryAt`: never before the refresh point, so a failed forced refresh does not make
 * the timer call the source while the cached value is still fresh (rule 3); never once the
 * value has expired (the next call fetches). Infinity: no timer.
 */
export const retryTimerAt = (s: PolicyState): number => {
  const at = Math.max(s.retryAt, s.refreshAt)
  // With nothing cached, expiresAt is -Infinity.
  return at < s.expiresAt ? at : Infinity
}
