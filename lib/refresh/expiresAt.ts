// How a fetched value is checked before it is cached (rule 7 of `withRefresh` in the README).
import { CredentialError, type CredentialErrorCode } from '../errors.js'
import type { AwsCredentialIdentity } from '../types.js'

/**
 * When credentials fetched at `now` expire, in epoch ms (Infinity without `expiration`):
 * `InvalidCredentials` for a malformed value, `Expired` for one already expired (rule 7).
 * @internal
 */
export const expiresAt = (creds: AwsCredentialIdentity, name: string, now: number): number => {
  const fail = (what: string, code: CredentialErrorCode = 'InvalidCredentials') =>
    new CredentialError(`${name} returned ${what}`, { code, source: name })
  if (typeof creds?.accessKeyId !== 'string') throw fail('no credentials object')
  const exp: unknown = creds.expiration
  const ms = exp === undefined ? Infinity : exp instanceof Date ? exp.getTime() : Number.NaN
  if (Number.isNaN(ms)) throw fail('an expiration that is not a valid Date')
  if (ms <= now) throw fail(`expired credentials (${(exp as Date).toISOString()})`, 'Expired')
  return ms
}
