// How `withRefresh`'s callers wait for the one fetch they share, and how a fetched value is
// checked before it is cached (rules 7 and 9 of `withRefresh` in the README).
import { CredentialError, type CredentialErrorCode } from '../errors.js'
import { abortable } from '../internal/abortable.js'
import type { AwsCredentialIdentity, SourceContext } from '../types.js'

/** Lets one caller stop waiting when its own signal aborts, without aborting the shared fetch. */
export const waitFor = <T>(p: Promise<T>, context: SourceContext | undefined, name: string): Promise<T> =>
  abortable(p, {
    signal: context?.signal,
    aborted: (signal) =>
      new CredentialError(`${name}: the caller aborted while waiting for credentials`, {
        code: 'Aborted',
        source: name,
        cause: signal.reason,
      }),
  })

/**
 * When credentials fetched at `now` expire, in epoch ms (Infinity without `expiration`):
 * `InvalidCredentials` for a malformed value, `Expired` for one already expired (rule 7).
 */
export const expiresAt = (creds: AwsCredentialIdentity, name: string, now: number): number => {
  const fail = (code: CredentialErrorCode, what: string) =>
    new CredentialError(`${name} returned ${what}`, { code, source: name })
  if (typeof creds?.accessKeyId !== 'string') throw fail('InvalidCredentials', 'no credentials object')
  const exp: unknown = creds.expiration
  const ms = exp === undefined ? Infinity : exp instanceof Date ? exp.getTime() : Number.NaN
  if (Number.isNaN(ms)) throw fail('InvalidCredentials', 'an expiration that is not a valid Date')
  if (ms <= now) throw fail('Expired', `expired credentials (${(exp as Date).toISOString()})`)
  return ms
}
