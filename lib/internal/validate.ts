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
  new CredentialError(`${source}: ${message}`, { code: 'InvalidConfiguration', source, cause })

/**
 * What a bad value is, without echoing it: `null`, `array`, else its `typeof` (`string`,
 * `number`, `object`, `undefined`, ...). A plain object, and only that, is `object`.
 * @internal
 */
export const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

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
    throw invalidConfiguration(source, 'unreadable argument (see error.cause)', e)
  }
}

/**
 * What a bad value was, for a message: a number as it is, a string by its length, else {@link kindOf}.
 * @internal
 */
export const got = (v: unknown): string =>
  typeof v === 'number' ? `${v}` : typeof v === 'string' ? `${v.length}-character string` : kindOf(v)

/**
 * Throws `${name} must be ${what} (got ${seen})` unless `ok`; `seen` describes the value
 * without echoing it ({@link kindOf}, or `got` where a number is expected).
 * @internal
 */
export const check = (source: string, ok: boolean, name: string, what: string, seen: string): void => {
  if (!ok) throw invalidConfiguration(source, `${name} must be ${what} (got ${seen})`)
}

/**
 * The check that a value is of one {@link kindOf} `kind` (`undefined` passes too when
 * `optional`, by default `optionalByDefault`).
 */
const requireKind =
  (kind: string, optionalByDefault: boolean) =>
  (source: string, name: string, v: unknown, optional = optionalByDefault): void => {
    const seen = kindOf(v)
    check(
      source,
      seen === kind || (optional && v === undefined),
      name,
      kind === 'object' ? 'an object' : `a ${kind}`,
      seen,
    )
  }

/**
 * A plain object (not null, not an array); `undefined` too when `optional`.
 * @internal
 */
export const requireObject: (source: string, name: string, v: unknown, optional?: boolean) => void =
  /* @__PURE__ */ requireKind('object', false)

/**
 * A function (`undefined` too when `optional`).
 * @internal
 */
export const requireFunction: (source: string, name: string, v: unknown, optional?: boolean) => void =
  /* @__PURE__ */ requireKind('function', true)

/**
 * A boolean (`undefined` passes: the default applies).
 * @internal
 */
export const checkBoolean: (source: string, name: string, v: unknown) => void = /* @__PURE__ */ requireKind(
  'boolean',
  true,
)

/**
 * The source a transform wraps: any credential provider function.
 * @internal
 */
export const requireSource = (source: string, self: unknown): void =>
  requireFunction(source, 'the wrapped source', self, false)

/**
 * A finite number of milliseconds from `min` to {@link MAX_TIMER_MS} (`undefined` passes: the default applies).
 * @internal
 */
export const checkMs = (source: string, name: string, v: unknown, min: number): void =>
  check(
    source,
    v === undefined || (typeof v === 'number' && v >= min && v <= MAX_TIMER_MS),
    name,
    `from ${min} to ${MAX_TIMER_MS} ms`,
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
    `a string of 1 to ${maxLength} characters`,
    got(v),
  )

/**
 * A shallow copy of an options object, so later calls never run a caller's getter again.
 * @internal
 */
export const snapshot = <T>(source: string, name: string, v: T, nested: readonly string[] = []): T => {
  requireObject(source, name, v)
  const copy: Record<string, unknown> = { ...(v as object) }
  for (const key of nested) if (kindOf(copy[key]) === 'object') copy[key] = { ...(copy[key] as object) }
  return copy as T
}
