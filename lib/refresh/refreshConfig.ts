import { checkLogger, type Logger } from '../internal/sdkLogger.js'
import {
  checkMs as checkMsOf,
  guarded,
  invalidConfiguration,
  kindOf,
  requireFunction,
  requireObject,
} from '../internal/validate.js'
import type { RefreshEvent } from './RefreshEvent.js'

/** `withRefresh`'s options (documented on `WithRefreshOptions`) with every default filled in. */
export interface RefreshConfig {
  readonly earlyMs: number | undefined
  readonly mandatoryMs: number
  readonly jitter: number
  readonly background: boolean
  readonly now: () => number
  readonly onEvent: ((event: RefreshEvent) => void) | undefined
  readonly logger: Logger | undefined
  readonly backoffBaseMs: number
  readonly backoffMaxMs: number
  readonly random: () => number
  readonly waitMs: number
}

/** The options as given: any of the fields, each may be missing. */
type Options = { readonly [K in keyof RefreshConfig]?: RefreshConfig[K] }

const SOURCE = 'withRefresh'
const invalid = (message: string) => invalidConfiguration(SOURCE, message)
const checkMs = (name: string, v: unknown, min: number): void => checkMsOf(SOURCE, name, v, min)
const checkFunction = (name: string, v: unknown): void => requireFunction(SOURCE, name, v)

/** Validates `withRefresh`'s argument and fills in the defaults; throws before any I/O. */
export const refreshConfig = (arg: number | Options | undefined): RefreshConfig =>
  guarded(SOURCE, () => {
    if (typeof arg !== 'number' && arg !== undefined && (typeof arg !== 'object' || arg === null || Array.isArray(arg)))
      throw invalid(`expected earlyMs as a number or an options object (got ${kindOf(arg)})`)
    const o: Options = typeof arg === 'number' ? { earlyMs: arg } : { ...arg }
    requireObject(SOURCE, 'options', o)
    return fill(o)
  })

const fill = (o: Options): RefreshConfig => {
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
