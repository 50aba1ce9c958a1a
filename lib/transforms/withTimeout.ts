import { CredentialError } from '../errors.js'
import { onAbort } from '../internal/abortable.js'
import { inherit } from './inherit.js'
import { invalidConfiguration, kindOf, MAX_TIMER_MS, requireSource } from '../internal/validate.js'
import { sourceName } from '../internal/sourceName.js'
import type { AwsCredentialIdentity, CredentialSource, SourceContext, Transformed } from '../types.js'

/**
 * Fails a fetch that takes longer than `ms` with `CredentialError` `Timeout` (retryable),
 * and aborts it through `context.signal` so the source can stop its request. A signal
 * the caller passed still aborts it too. Caches nothing; retries nothing.
 *
 * @throws CredentialError `InvalidConfiguration` at once unless `ms` is a positive number.
 * @example
 * ```ts
 * const credentials = pipe(fromAssumeRole({ RoleArn }), withTimeout(3_000), withRetry(), withRefresh())
 * ```
 * @category transforms
 * @since 0.1.0
 */
export const withTimeout = (ms: number): (<S extends CredentialSource>(self: S) => Transformed<S>) => {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMER_MS) {
    throw invalidConfiguration(
      'withTimeout',
      `ms must be a positive number of milliseconds up to ${MAX_TIMER_MS} (got ${typeof ms === 'number' ? String(ms) : kindOf(ms)})`,
    )
  }
  return (self) => {
    requireSource('withTimeout', self)
    const name = sourceName(self)
    const timed = (context?: SourceContext): Promise<AwsCredentialIdentity> => {
      const controller = new AbortController()
      const parent = context?.signal
      return new Promise<AwsCredentialIdentity>((resolve, reject) => {
        let cancel = (): void => undefined
        // Settled by the deadline or the caller: nothing of this call stays armed, even
        // while a source that ignores its signal keeps running.
        const finish = (): void => {
          clearTimeout(timer)
          cancel()
        }
        const abort = (error: CredentialError): void => {
          finish()
          controller.abort(error)
          reject(error)
        }
        const onParentAbort = (): void =>
          abort(
            new CredentialError(`${name}: aborted by the caller`, {
              code: 'Aborted',
              source: 'withTimeout',
              cause: parent?.reason,
            }),
          )
        const timer = setTimeout(
          () =>
            abort(
              new CredentialError(`${name}: no credentials within ${ms} ms`, {
                code: 'Timeout',
                source: 'withTimeout',
                retryable: true,
              }),
            ),
          ms,
        )
        cancel = onAbort(parent, onParentAbort)
        Promise.resolve()
          .then(() => self({ ...context, signal: controller.signal }))
          .then(resolve, reject)
          .finally(finish)
      })
    }
    return inherit(timed, self)
  }
}
