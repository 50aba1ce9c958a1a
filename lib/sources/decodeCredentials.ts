import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { defined } from '../internal/defined.js'
import type { AwsCredentialIdentity } from '../types.js'

// A zone is required: a zoneless time would be read in the process's local time zone.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i
const EPOCH_SECONDS_LIMIT = 1e11

type Raw = Record<string, unknown>
type Decoded<A> = E.Either<string, A>

const kind = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : v instanceof Date ? 'Date' : typeof v

const requiredString = (raw: Raw, field: string): Decoded<string> => {
  const v = raw[field]
  return typeof v === 'string' && v.length > 0
    ? E.right(v)
    : E.left(`${field} must be a non-empty string (got ${v === '' ? 'an empty string' : kind(v)})`)
}

const optionalString = (raw: Raw, field: string): Decoded<string | undefined> => {
  const v = raw[field]
  return v === undefined || (typeof v === 'string' && v.length > 0)
    ? E.right(v)
    : E.left(`${field} must be a non-empty string when present (got ${kind(v)})`)
}

/** Reads `expiration` given as a Date, an ISO-8601 string with a zone, or epoch milliseconds. */
export const decodeExpiration = (v: unknown): Decoded<Date | undefined> => {
  if (v === undefined) return E.right(undefined)
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? E.left('expiration is an invalid Date') : E.right(v)
  if (typeof v === 'string') {
    const ms = ISO_WITH_ZONE.test(v) ? Date.parse(v) : Number.NaN
    return Number.isNaN(ms)
      ? E.left(
          `expiration must be an ISO-8601 time with a zone, like 2026-07-15T23:28:33Z (got a string of ${v.length} characters that is not one)`,
        )
      : E.right(new Date(ms))
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0)
      return E.left(`expiration must be a positive number of epoch milliseconds (got ${v})`)
    return v < EPOCH_SECONDS_LIMIT
      ? E.left(`expiration ${v} looks like epoch seconds; give epoch milliseconds`)
      : E.right(new Date(v))
  }
  return E.left(`expiration must be a Date, an ISO-8601 string with a zone or epoch milliseconds (got ${kind(v)})`)
}

const notExpired =
  (nowMs: number) =>
  (expiration: Date | undefined): Decoded<Date | undefined> =>
    expiration !== undefined && expiration.getTime() <= nowMs
      ? E.left(`expiration ${expiration.toISOString()} is already in the past`)
      : E.right(expiration)

/**
 * Decodes what a user function returned into `AwsCredentialIdentity`. On failure, the
 * left side names the field and never holds a secret value.
 */
export const decodeCredentials = (raw: unknown, nowMs: number): Decoded<AwsCredentialIdentity> => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return E.left(`the result must be an object with accessKeyId and secretAccessKey (got ${kind(raw)})`)
  const r = raw as Raw
  return pipe(
    E.Do,
    E.apS('accessKeyId', requiredString(r, 'accessKeyId')),
    E.apS('secretAccessKey', requiredString(r, 'secretAccessKey')),
    E.apS('sessionToken', optionalString(r, 'sessionToken')),
    E.apS('accountId', optionalString(r, 'accountId')),
    E.apS('credentialScope', optionalString(r, 'credentialScope')),
    E.apS('expiration', pipe(decodeExpiration(r.expiration), E.chain(notExpired(nowMs)))),
    E.map((c): AwsCredentialIdentity => defined(c)),
  )
}
