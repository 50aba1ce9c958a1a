import { checkLogger, type Logger } from '../internal/sdkLogger.js'
import { checkMs as checkMsOf, guarded, invalidConfiguration, kindOf, MAX_TIMER_MS, requireFunction, requireObject } from '../internal/validate.js'
import type { RefreshEvent } from './RefreshEvent.js'

/**
 * Options of `withRefresh`.
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

/** Options with every default filled in. */
export type RefreshConfig = Required<Omit<WithRefreshOptions, 'earlyMs' | 'onEvent' | 'logger'>> &
  { readonly [K in 'earlyMs' | 'onEvent' | 'logger']: WithRefreshOptions[K] }

const SOURCE = 'withRefresh'
const invalid = (message: string) => invalidConfiguration(SOURCE, message)
const checkMs = (name: string, v: unknown, min: number): void => checkMsOf(SOURCE, name, v, min)
const checkFunction = (name: string, v: unknown): void => requireFunction(SOURCE, name, v)

/** Validates `withRefresh`'s argument and fills in the defaults; throws before any I/O. */
export const refreshConfig = (arg: number | WithRefreshOptions | undefined): RefreshConfig =>
  guarded(SOURCE, () => {
    if (typeof arg !== 'number' && arg !== undefined && (typeof arg !== 'object' || arg === null || Array.isArray(arg)))
      throw invalid(`expected earlyMs as a number or an options object (got ${kindOf(arg)})`)
    const o: WithRefreshOptions = typeof arg === 'number' ? { earlyMs: arg } : { ...arg }
    requireObject(SOURCE, 'options', o)
    return fill(o)
  })

const fill = (o: WithRefreshOptions): RefreshConfig => {
  checkMs('earlyMs', o.earlyMs, 0)
  checkMs('mandatoryMs', o.mandatoryMs, 0)
  checkMs('backoffBaseMs', o.backoffBaseMs, 1)
  checkMs('backoffMaxMs', o.backoffMaxMs, 1)
  checkMs('waitMs', o.waitMs, 0)
  if (o.jitter !== undefined && (typeof o.jitter !== 'number' || !(o.jitter >= 0 && o.jitter <= 1))) {
    throw invalid(`jitter must be a fraction from 0 to 1 (got ${String(o.jitter)})`)
  }
  if (o.background !== undefined && typeof o.background !== 'boolean') throw invalid('background must be a boolean')
  if (o.earlyMs !== undefined && o.mandatoryMs !== undefined && o.mandatoryMs > o.earlyMs / 2) {
    throw invalid(`mandatoryMs (${o.mandatoryMs}) must be at most half of earlyMs (${o.earlyMs})`)
  }
  checkFunction('now', o.now)
  checkFunction('onEvent', o.onEvent)
  checkFunction('random', o.random)
  return {
    earlyMs: o.earlyMs,
    mandatoryMs: o.mandatoryMs ?? 60_000,
    jitter: o.jitter ?? 0.1,
    background: o.background ?? true,
    now: o.now ?? Date.now,
    onEvent: o.onEvent,
    logger: checkLogger('withRefresh', o.logger),
    backoffBaseMs: o.backoffBaseMs ?? 1_000,
    backoffMaxMs: Math.max(o.backoffMaxMs ?? 60_000, o.backoffBaseMs ?? 1_000),
    random: o.random ?? Math.random,
    waitMs: o.waitMs ?? 5_000,
  }
}

export { MAX_TIMER_MS }
