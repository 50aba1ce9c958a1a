import { invalidConfiguration, kindOf } from '../internal/validate.js'

const MINUTE = 60_000

/**
 * The advisory window `withRefresh` uses when no `earlyMs` is given: 5, 15 or 60 minutes
 * for lifetimes under 20 minutes, under 90 minutes, or longer.
 *
 * @category refresh
 * @since 0.1.0
 */
export const defaultEarlyMs = (lifetimeMs: number): number =>
  lifetimeMs < 20 * MINUTE ? 5 * MINUTE : lifetimeMs < 90 * MINUTE ? 15 * MINUTE : 60 * MINUTE

/**
 * The two windows before expiry, for one credential lifetime.
 *
 * @category refresh
 * @since 0.1.0
 */
export interface RefreshWindows {
  /** From here on a call returns the cached value and starts one background refresh. */
  readonly advisoryMs: number
  /** From here on callers wait for the refresh. */
  readonly mandatoryMs: number
}

/**
 * Windows scaled to the lifetime: the advisory window is `earlyMs` (or
 * {@link defaultEarlyMs}), the mandatory one `mandatoryMs`; each is capped at half the
 * lifetime, and the mandatory window at half the advisory one, so short-lived
 * credentials are refreshed about once per half-life and never on every call.
 *
 * @throws CredentialError `InvalidConfiguration` for a negative or non-number argument (checked on every call: it is pure).
 * @example
 * ```ts
 * refreshWindows(15 * 60_000) // { advisoryMs: 300_000, mandatoryMs: 60_000 }
 * refreshWindows(60_000)      // { advisoryMs: 30_000, mandatoryMs: 15_000 }
 * ```
 * @category refresh
 * @since 0.1.0
 */
export const refreshWindows = (lifetimeMs: number, earlyMs?: number, mandatoryMs = MINUTE): RefreshWindows => {
  for (const [name, v] of [['lifetimeMs', lifetimeMs], ['earlyMs', earlyMs], ['mandatoryMs', mandatoryMs]] as const)
    if ((v !== undefined || name === 'lifetimeMs') && !(typeof v === 'number' && v >= 0)) throw invalidConfiguration('refreshWindows', `${name} must be a number of milliseconds, 0 or more (got ${kindOf(v)})`)
  const advisoryMs = Math.max(0, Math.min(earlyMs ?? defaultEarlyMs(lifetimeMs), lifetimeMs / 2))
  return { advisoryMs, mandatoryMs: Math.min(mandatoryMs, advisoryMs / 2) }
}

/**
 * Jittered exponential back-off: the n-th consecutive failure waits between half and all
 * of `min(maxMs, baseMs * 2^(n-1))`.
 *
 * @category refresh
 * @since 0.1.0
 */
export const backoffMs = (failures: number, baseMs: number, maxMs: number, random: () => number): number => {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1))
  return ceiling / 2 + random() * (ceiling / 2)
}
