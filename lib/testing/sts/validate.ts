import { stsError } from './types.js'

type Params = Readonly<Record<string, string>>

const fail = (field: string, constraint: string): never => {
  throw stsError(
    400,
    'ValidationError',
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${constraint}`,
  )
}

/** A required string parameter within a length range and an optional pattern. */
export const requireString = (params: Params, name: string, min: number, max: number, pattern?: RegExp): string => {
  const v = params[name]
  if (v === undefined) return fail(name, 'Member must not be null')
  return checkString(name, v, min, max, pattern)
}

/** An optional string parameter; checked when present. */
export const optionalString = (
  params: Params,
  name: string,
  min: number,
  max: number,
  pattern?: RegExp,
): string | undefined => {
  const v = params[name]
  return v === undefined ? undefined : checkString(name, v, min, max, pattern)
}

const checkString = (name: string, v: string, min: number, max: number, pattern?: RegExp): string => {
  if (v.length < min || v.length > max) fail(name, `Member must have length between ${min} and ${max}`)
  if (pattern && !pattern.test(v)) fail(name, `Member must satisfy regular expression pattern: ${pattern.source}`)
  return v
}

/** `DurationSeconds` within `[min, max]`, or `fallback` when absent. */
export const durationSeconds = (params: Params, min: number, max: number, fallback: number): number => {
  const raw = params['DurationSeconds']
  if (raw === undefined) return Math.min(fallback, max)
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max)
    fail('durationSeconds', `Member must have value between ${min} and ${max}`)
  return n
}

export const SESSION_NAME = /^[\w+=,.@-]*$/
export const SERIAL = /^[\w+=/:,.@-]*$/
