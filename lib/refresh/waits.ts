// How `withRefresh`'s callers wait for the one fetch they share, and how a fetched value is
// checked before it is cached (rules 7 and 9 of `withRefresh` in the README).
import { CredentialError } from '../errors.js'
import { abortable } from '../internal/abortable.js'
import type { AwsCredentialIdentity, SourceContext } from '../types.js'

const noop = (): void => undefined

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
 * `p`, or undefined once `waitMs` has passed while `valid()` still holds (rule 9): the
 * caller then gets the cached value and `p` goes on. At expiry the caller keeps waiting.
 * Its rejection never goes unhandled.
 */
export const bounded = (
  p: Promise<AwsCredentialIdentity>,
  waitMs: number,
  valid: () => boolean,
): Promise<AwsCredentialIdentity | undefined> => {
  const raced = new Promise<AwsCredentialIdentity | undefined>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (valid()) resolve(undefined)
    }, waitMs)
    // Not unref'd: the callers await this bound, so it must keep the process alive.
    p.then(resolve, reject).finally(() => clearTimeout(timer))
  })
  raced.catch(noop)
  return raced
}

/** The expiry of fetched credentials in epoch ms (Infinity without `expiration`); `InvalidCredentials` for a malformed value. */
export const expirationMs = (creds: AwsCredentialIdentity, name: string): number => {
  const invalid = (what: string) =>
    new CredentialError(`${name} returned ${what}`, { code: 'InvalidCredentials', source: name })
  if (typeof creds?.accessKeyId !== 'string') throw invalid('no credentials object')
  const exp: unknown = creds.expiration
  const ms = exp === undefined ? Infinity : exp instanceof Date ? exp.getTime() : Number.NaN
  if (Number.isNaN(ms)) throw invalid('an expiration that is not a valid Date')
  return ms
}
