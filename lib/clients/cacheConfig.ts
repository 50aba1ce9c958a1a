import type { CredentialError } from '../errors.js'
import {
  check,
  checkBoolean,
  checkString,
  got,
  guarded,
  invalidConfiguration,
  requireObject,
} from '../internal/validate.js'
import { defined } from '../internal/defined.js'

export const SOURCE = 'withClientCache'

/** Options with every default filled in; `base` is what every client's config starts from. */
export type CacheConfig = {
  readonly maxSize: number
  readonly recoverExpiredToken: boolean
  readonly base: Readonly<Record<string, unknown>>
  readonly baseKeys: readonly string[]
}

export const invalid = (message: string, cause?: unknown): CredentialError =>
  invalidConfiguration(SOURCE, message, cause)

/** A client config: a non-null, non-array object without `credentials`. */
const checkConfig = (name: string, v: unknown): Readonly<Record<string, unknown>> => {
  requireObject(SOURCE, name, v)
  if ('credentials' in (v as object)) throw invalid(`${name} must not hold credentials`)
  return v as Readonly<Record<string, unknown>>
}

/**
 * Validates `withClientCache`'s options, read once as unknown values, and fills in the
 * defaults; throws before any I/O.
 */
export const cacheConfig = (options: unknown): CacheConfig =>
  guarded(SOURCE, () => {
    requireObject(SOURCE, 'options', options, true)
    const copy: Readonly<Record<string, unknown>> = { ...(options as object) }
    const { region, maxSize = 64, recoverExpiredToken = true, defaults = {} } = copy
    checkString(SOURCE, 'region', region)
    check(
      SOURCE,
      Number.isSafeInteger(maxSize) && (maxSize as number) > 0,
      'maxSize',
      'a positive integer',
      got(maxSize),
    )
    checkBoolean(SOURCE, 'recoverExpiredToken', recoverExpiredToken)
    checkConfig('defaults', defaults)
    if (region !== undefined && (defaults as { region?: unknown }).region !== undefined)
      throw invalid('region is set twice (option and defaults)')
    // `defaults` holding `region: undefined` must not erase the region option.
    const base = defined({ region, ...defined(defaults as object) })
    return {
      maxSize: maxSize as number,
      recoverExpiredToken: recoverExpiredToken as boolean,
      base,
      baseKeys: Object.keys(base),
    }
  })

/**
 * The config of one client: `base` with the keys of `config` that hold a value on top (a key
 * holding `undefined` counts as missing, so `{ region: undefined }` keeps the factory's
 * region). Shallow: a nested object in `config` replaces the one in `defaults`.
 */
export const mergeConfig = (
  base: Readonly<Record<string, unknown>>,
  config: unknown,
): Readonly<Record<string, unknown>> =>
  config === undefined ? base : { ...base, ...defined(checkConfig('config', config)) }
