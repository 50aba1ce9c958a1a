// The window arithmetic alone, with no validation, so that the CLI's cache-hit path can
// judge a cached entry without loading the error class and its dependencies.

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
 * {@link refreshWindows} without argument checks, for callers whose numbers are known good.
 * @internal
 */
export const windowsFor = (lifetimeMs: number, earlyMs: number | undefined, mandatoryMs = MINUTE): RefreshWindows => {
  const advisoryMs = Math.max(0, Math.min(earlyMs ?? defaultEarlyMs(lifetimeMs), lifetimeMs / 2))
  return { advisoryMs, mandatoryMs: Math.min(mandatoryMs, advisoryMs / 2) }
}
