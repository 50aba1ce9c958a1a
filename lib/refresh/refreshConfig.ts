import { checkLogger, type Logger } from '../internal/sdkLogger.js'
import {
  check,
  checkBoolean,
  checkMs,
  got,
  guarded,
  invalidConfiguration,
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

/** Validates `withRefresh`'s argument and fills in the defaults; throws before any I/O. */
export const refreshConfig = (arg: number | Options | undefined): RefreshConfig =>
  guarded(SOURCE, () => {
    if (typeof arg !== 'number') requireObject(SOURCE, 'options', arg, true)
    return fill(typeof arg === 'number' ? { earlyMs: arg } : { ...arg })
  })

const fill = (o: Options): RefreshConfig => {
  for (const [name, min] of [
    ['earlyMs', 0],
    ['mandatoryMs', 0],
    ['backoffBaseMs', 1],
    ['backoffMaxMs', 1],
    ['waitMs', 0],
  ] as const)
    checkMs(SOURCE, name, o[name], min)
  const { jitter, earlyMs, mandatoryMs, backoffBaseMs = 1_000 } = o
  check(
    SOURCE,
    jitter === undefined || (typeof jitter === 'number' && jitter >= 0 && jitter <= 1),
    'jitter',
    'a fraction from 0 to 1',
    got(jitter),
  )
  checkBoolean(SOURCE, 'background', o.background)
  if (earlyMs !== undefined && mandatoryMs !== undefined && mandatoryMs > earlyMs / 2)
    throw invalid(`mandatoryMs (${mandatoryMs}) must be at most half of earlyMs (${earlyMs})`)
  for (const name of ['now', 'onEvent', 'random'] as const) requireFunction(SOURCE, name, o[name])
  return {
    earlyMs,
    mandatoryMs: mandatoryMs ?? 60_000,
    jitter: jitter ?? 0.1,
    background: o.background ?? true,
    now: o.now ?? Date.now,
    onEvent: o.onEvent,
    logger: checkLogger(SOURCE, o.logger),
    backoffBaseMs,
    backoffMaxMs: Math.max(o.backoffMaxMs ?? 60_000, backoffBaseMs),
    random: o.random ?? Math.random,
    waitMs: o.waitMs ?? 5_000,
  }
}
