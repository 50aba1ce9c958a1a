import { requireSource } from '../internal/validate.js'
import type { Logger } from '../internal/sdkLogger.js'
import type { CredentialSource, RefreshingProvider } from '../types.js'
import { createProvider } from './createProvider.js'
import type { RefreshEvent } from './RefreshEvent.js'
import { refreshConfig } from './refreshConfig.js'

// The entry point: options, validation (refreshConfig.ts) and the provider (createProvider.ts,
// which wires the pure rules of policy.ts to the fetch, the waits and the one timer).

/**
 * Options of {@link withRefresh}.
 *
 * @category refresh
 * @since 0.1.0
 */
export interface WithRefreshOptions {
  /** Advisory window before expiry. @default scaled to the lifetime: 5 / 15 / 60 min (see `defaultEarlyMs`) */
  readonly earlyMs?: number
  /** Blocking window before expiry; never more than half the advisory window. @default 60_000 */
  readonly mandatoryMs?: number
  /** Largest share of the advisory window by which each refresh point is moved earlier, at random; 0 turns it off. @default 0.1 */
  readonly jitter?: number
  /** Refresh from an `unref`'d timer before the advisory window is reached. @default true */
  readonly background?: boolean
  /** The clock, in epoch milliseconds. @default Date.now */
  readonly now?: () => number
  /** Observer of refreshes, failures, back-offs and stale serves; its errors are ignored. @default none */
  readonly onEvent?: (event: RefreshEvent) => void
  /**
   * The SDK's `Logger` (`console` works): refresh starts and back-offs at debug, successes
   * at info, failures and stale serving at warn; never a secret. @default none
   */
  readonly logger?: Logger
  /** First back-off after a failed refresh, doubled per failure, jittered. @default 1_000 */
  readonly backoffBaseMs?: number
  /** Longest back-off. @default 60_000 */
  readonly backoffMaxMs?: number
  /** Random numbers in [0, 1) for jitter; for tests. @default Math.random */
  readonly random?: () => number
  /**
   * Longest wait of a caller in the mandatory window while a still-valid value is cached:
   * past it the caller gets that value and the refresh goes on. With nothing valid cached
   * callers wait for the fetch however long it takes (bound it with `withTimeout`).
   * @default 5_000
   * @since 0.2.0
   */
  readonly waitMs?: number
}

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
export const withRefresh = (
  earlyMsOrOptions?: number | WithRefreshOptions,
): ((self: CredentialSource) => RefreshingProvider) => {
  const config = refreshConfig(earlyMsOrOptions)
  return (self) => {
    requireSource('withRefresh', self)
    return createProvider(self, config)
  }
}
