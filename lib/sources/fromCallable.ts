import { CredentialError } from '../errors.js'
import { checkLogger, logTo, type Logger } from '../internal/sdkLogger.js'
import { toCredentialError } from '../internal/toCredentialError.js'
import { guarded, kindOf, requireFunction, snapshot } from '../internal/validate.js'
import type { CredentialSource, SourceContext } from '../types.js'

/**
 * What a function given to {@link fromCallable} may return.
 *
 * @category sources
 * @since 0.1.0
 */
export interface CallableCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
  /** A `Date`, an ISO-8601 string with a zone (`Z` or `+hh:mm`), or epoch milliseconds. */
  readonly expiration?: Date | string | number
  readonly accountId?: string
  readonly credentialScope?: string
}

/**
 * Options of {@link fromCallable}.
 *
 * @category sources
 * @since 0.1.0
 */
export interface FromCallableOptions {
  /** The clock used to reject already-expired results. @default Date.now */
  readonly now?: () => number
  /**
   * The SDK's `Logger` (`console` works): each call at debug, a failure at warn (its code
   * and redacted message), never a secret. @default none
   * @since 0.2.0
   */
  readonly logger?: Logger
}

/**
 * A source from any function returning credentials (or a promise of them), e.g. a
 * vault lookup or your own token exchange. Caches nothing: every call calls `fn`.
 *
 * The result is validated: `accessKeyId` and `secretAccessKey` are required strings and
 * `expiration` may be a `Date`, a zoned ISO-8601 string or epoch milliseconds; a result
 * that is malformed or already expired fails with `InvalidCredentials`, naming the field
 * and never echoing a secret. Errors thrown by `fn` reach the caller as a
 * `CredentialError` (`SourceFailed`, the original as `cause`) unless they already are one.
 *
 * @example
 * ```ts
 * const credentials = pipe(
 *   fromCallable(async () => vault.read('aws/creds/deploy')),
 *   withRefresh(),
 * )
 * ```
 * @throws CredentialError `InvalidConfiguration` at once when `fn` is not a function.
 * @category sources
 * @since 0.1.0
 */
export const fromCallable = (
  fn: (context?: SourceContext) => CallableCredentials | Promise<CallableCredentials>,
  options: FromCallableOptions = {},
): CredentialSource => {
  const { now, logger } = guarded('fromCallable', () => {
    if (typeof fn !== 'function')
      requireFunction('fromCallable', `the argument (a function returning credentials; got ${kindOf(fn)})`, fn, false)
    const o: FromCallableOptions = options === undefined ? {} : snapshot('fromCallable', 'options', options)
    requireFunction('fromCallable', 'options.now', o.now)
    return { now: o.now ?? Date.now, logger: checkLogger('fromCallable', o.logger) }
  })
  const fail = (error: CredentialError): never => {
    logTo(logger, 'warn', `fromCallable: ${error.code}: ${error.message}`)
    throw error
  }
  return async function fromCallableSource(context?: SourceContext) {
    logTo(logger, 'debug', 'fromCallable: calling the function')
    let raw: unknown
    try {
      raw = await fn(context)
    } catch (e) {
      return fail(toCredentialError(e, 'fromCallable'))
    }
    let at: number
    try {
      at = now()
    } catch (e) {
      return fail(toCredentialError(e, 'fromCallable'))
    }
    // The decoder (and fp-ts's Either) loads with the first answer, not with the package.
    const { decodeCredentials } = await import('./decodeCredentials.js')
    const decoded = decodeCredentials(raw, at)
    if (decoded._tag === 'Right') return decoded.right
    return fail(
      new CredentialError(`fromCallable: invalid credentials: ${decoded.left}`, {
        code: 'InvalidCredentials',
        source: 'fromCallable',
      }),
    )
  }
}
