// The one family of argument checks every public function uses: each throws a
// CredentialError `InvalidConfiguration` naming the function and the argument, never
// echoing the value (it may be a secret), synchronously and before any I/O.
import { CredentialError, isCredentialError } from '../errors.js'

/**
 * The longest delay `setTimeout` honours; a longer one fires at once.
 * @internal
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * An `InvalidConfiguration` error of `source`.
 * @internal
 */
export const invalidConfiguration = (source: string, message: string, cause?: unknown): CredentialError =>
  new CredentialError(`${source}: ${message}`, {
    code: 'InvalidConfiguration',
    source,
    ...(cause === undefined ? {} : { cause }),
  })

/**
 * What a bad value is, without echoing it: `null`, `an array`, `a string`, `NaN`, ...
 * @internal
 */
export const kindOf = (v: unknown): string => {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'a number' : 'an infinite number'
  return typeof v === 'object' ? 'an object' : typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`
}

/**
 * Runs the checks and the construction of `source` so that whatever they throw is a
 * CredentialError: a throwing getter or Proxy trap in the options, or a TypeError from a
 * value of a wrong type, becomes `InvalidConfiguration`.
 * @internal
 */
export const guarded = <T>(source: string, build: () => T): T => {
  try {
    return build()
  } catch (e) {
    if (isCredentialError(e)) throw e
    throw invalidConfiguration(source, 'an argument could not be read; see error.cause', e)
  }
}

/**
 * What a bad value was, for a message: a number as it is, a string by its length, else {@link kindOf}.
 * @internal
 */
export const got = (v: unknown): string =>
  typeof v === 'number' ? String(v) : typeof v === 'string' ? `a string of ${v.length} characters` : kindOf(v)

/**
 * Throws `${name} must be ${what} (got ${seen})` unless `ok`; `seen` describes the value
 * without echoing it ({@link kindOf}, or `got` where a number is expected).
 * @internal
 */
export const check = (source: string, ok: boolean, name: string, what: string, seen: string): void => {
  if (!ok) throw invalidConfiguration(source, `${name} must be ${what} (got ${seen})`)
}

/**
 * A plain object (not null, not an array); `undefined` too when `optional`.
 * @internal
 */
export const requireObject = (source: string, name: string, v: unknown, optional = false): void =>
  check(
    source,
    (optional && v === undefined) || (typeof v === 'object' && v !== null && !Array.isArray(v)),
    name,
    'an object',
    kindOf(v),
  )

/**
 * A function (`undefined` too when `optional`).
 * @internal
 */
export const requireFunction = (source: string, name: string, v: unknown, optional = true): void =>
  check(source, (optional && v === undefined) || typeof v === 'function', name, 'a function', kindOf(v))

/**
 * A boolean (`undefined` passes: the default applies).
 * @internal
 */
export const checkBoolean = (source: string, name: string, v: unknown): void =>
  check(source, v === undefined || typeof v === 'boolean', name, 'a boolean', kindOf(v))

/**
 * The source a transform wraps: any credential provider function.
 * @internal
 */
export const requireSource = (source: string, self: unknown): void =>
  check(source, typeof self === 'function', 'the wrapped source', 'a credential provider function', kindOf(self))

/**
 * A finite number of milliseconds in [min, max] (`undefined` passes: the default applies).
 * @internal
 */
export const checkMs = (source: string, name: string, v: unknown, min = 0, max = MAX_TIMER_MS): void =>
  check(
    source,
    v === undefined || (typeof v === 'number' && v >= min && v <= max),
    name,
    `a number of milliseconds from ${min} to ${max}`,
    got(v),
  )

/**
 * An integer in [min, max] (`undefined` passes).
 * @internal
 */
export const checkInteger = (source: string, name: string, v: unknown, min: number, max: number): void =>
  check(
    source,
    v === undefined || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max),
    name,
    `an integer from ${min} to ${max}`,
    got(v),
  )

/**
 * A non-empty string of at most `maxLength` characters (`undefined` passes).
 * @internal
 */
export const checkString = (source: string, name: string, v: unknown, maxLength = 4096): void =>
  check(
    source,
    v === undefined || (typeof v === 'string' && v !== '' && v.length <= maxLength),
    name,
    `a non-empty string of at most ${maxLength} characters`,
    got(v),
  )

/**
 * A shallow copy of an options object, so later calls never run a caller's getter again.
 * @internal
 */
export const snapshot = <T>(source: string, name: string, v: T, nested: readonly string[] = []): T => {
  requireObject(source, name, v)
  const copy: Record<string, unknown> = { ...(v as object) }
  for (const key of nested) {
    const inner = copy[key]
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) copy[key] = { ...inner }
  }
  return copy as T
}
