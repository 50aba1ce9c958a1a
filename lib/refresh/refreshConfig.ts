import { defined } from '../internal/defined.js'
import { checkLogger, type Logger } from '../internal/sdkLogger.js'
import { check, checkBoolean, checkMs, got, guarded, requireFunction, requireObject } from '../internal/validate.js'
import type { RefreshEvent } from './RefreshEvent.js'

/** `withRefresh`'s options (documented on `WithRefreshOptions`) with every default filled in. */
export interface RefreshConfig {
  readonly earlyMs?: number | undefined
  readonly mandatoryMs: number
  readonly jitter: number
  readonly background: boolean
  readonly now: () => number
  readonly onEvent?: ((event: RefreshEvent) => void) | undefined
  readonly logger?: Logger | undefined
  readonly backoffBaseMs: number
  /** As given: below `backoffBaseMs`, the back-off is capped at `backoffBaseMs`. */
  readonly backoffMaxMs: number
  readonly random: () => number
  readonly waitMs: number
}

/** The options as given: any of the fields, each may be missing. */
type Options = { readonly [K in keyof RefreshConfig]?: RefreshConfig[K] }

const SOURCE = 'withRefresh'

/**
 * The defaults of `WithRefreshOptions`; `earlyMs` scales with the lifetime (rule 6). The clock
 * and `random` are read at each `withRefresh` call (a test may fake them after loading this).
 */
const DEFAULTS = {
  mandatoryMs: 60_000,
  jitter: 0.1,
  background: true,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  waitMs: 5_000,
}

/** The duration options, each with its least value in milliseconds. */
const LEAST_MS = { earlyMs: 0, mandatoryMs: 0, backoffBaseMs: 1, backoffMaxMs: 1, waitMs: 0 }

/** Validates `withRefresh`'s argument and fills in the defaults; throws before any I/O. */
export const refreshConfig = (arg: number | Options | undefined): RefreshConfig =>
  guarded(SOURCE, () => {
    if (typeof arg !== 'number') requireObject(SOURCE, 'options', arg, true)
    // One read of each option: a getter never runs twice.
    const o: Options = typeof arg === 'number' ? { earlyMs: arg } : defined(arg ?? {})
    for (const name in LEAST_MS) {
      const key = name as keyof typeof LEAST_MS
      checkMs(SOURCE, key, o[key], LEAST_MS[key])
    }
    const { jitter, earlyMs = Infinity, mandatoryMs = 0 } = o
    check(
      SOURCE,
      jitter === undefined || (typeof jitter === 'number' && jitter >= 0 && jitter <= 1),
      'jitter',
      'a fraction from 0 to 1',
      got(jitter),
    )
    checkBoolean(SOURCE, 'background', o.background)
    check(SOURCE, mandatoryMs <= earlyMs / 2, 'mandatoryMs', `at most half of earlyMs (${earlyMs})`, got(mandatoryMs))
    for (const name of ['now', 'onEvent', 'random'] as const) requireFunction(SOURCE, name, o[name])
    return { now: Date.now, random: Math.random, ...DEFAULTS, ...o, logger: checkLogger(SOURCE, o.logger) }
  })
