import { CredentialError } from '../errors.js'
import { abortable } from '../internal/abortable.js'
import { backoffMs } from '../internal/backoff.js'
import { inherit } from './inherit.js'
import { guarded, invalidConfiguration, MAX_TIMER_MS, requireObject, requireSource } from '../internal/validate.js'
import { isTransient } from '../internal/isTransient.js'
import { sourceName } from '../internal/sourceName.js'
import { toCredentialError } from '../internal/toCredentialError.js'
import type { CredentialSource, SourceContext } from '../types.js'

/**
 * Options of {@link withRetry}.
 *
 * @category transforms
 * @since 0.1.0
 */
export interface WithRetryOptions {
  /** Retries after the first attempt. @default 3 */
  readonly retries?: number
  /** Back-off before the first retry, doubled per retry, jittered to 50–100 %. @default 200 */
  readonly baseMs?: number
  /** Longest back-off. @default 5_000 */
  readonly maxMs?: number
  /** Which errors a retry can fix. @default throttling, 5xx, network errors and timeouts (a `CredentialError`'s `retryable`) */
  readonly isRetryable?: (error: unknown) => boolean
  /** Random numbers in [0, 1) for jitter; for tests. @default Math.random */
  readonly random?: () => number
}

const invalid = (message: string): CredentialError => invalidConfiguration('withRetry', message)

const validate = (o: WithRetryOptions): void => {
  requireObject('withRetry', 'options', o)
  if (o.retries !== undefined && !(Number.isInteger(o.retries) && o.retries >= 0 && o.retries <= 100))
    throw invalid(`retries must be an integer from 0 to 100 (got ${String(o.retries)})`)
  for (const key of ['baseMs', 'maxMs'] as const) {
    const v = o[key]
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_TIMER_MS))
      throw invalid(`${key} must be a number of milliseconds (got ${String(v)})`)
  }
  for (const key of ['isRetryable', 'random'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') throw invalid(`${key} must be a function`)
  }
}

/** Waits `ms` (the deadline of a race against nothing), or rejects with `Aborted` when `signal` aborts first. */
const sleep = (ms: number, signal: AbortSignal | undefined, name: string): Promise<void> => {
  const elapsed = Symbol('elapsed')
  return abortable(new Promise<never>(() => undefined), {
    signal,
    aborted: (s) =>
      new CredentialError(`${name}: aborted during retry back-off`, {
        code: 'Aborted',
        source: 'withRetry',
        cause: s.reason,
      }),
    timeoutMs: ms,
    timedOut: () => elapsed,
    unref: false, // the caller awaits this back-off: it keeps the process alive, as before
  }).catch((e: unknown) => {
    if (e !== elapsed) throw e
  })
}

/**
 * Retries a failed fetch when a retry can fix it (throttling, 5xx, network errors,
 * timeouts), with jittered exponential back-off; any other error passes at once.
 * Caches nothing and does not refresh: put it under `withRefresh`. Stops waiting when
 * `context.signal` aborts.
 *
 * Retries belong outside `withMfa`: `pipe(source, withMfa(codes), withRetry())`, so each
 * retry asks for a new code (with `totp()` that can mean waiting for the next time step).
 * The result is therefore not MFA-capable, so `withMfa` does not accept it (a type error);
 * and a call that already carries `context.mfa` (JavaScript, or a cast) is never retried:
 * its first failure is thrown, as AWS refuses a code sent twice.
 *
 * @throws CredentialError `InvalidConfiguration` at once for bad options; the last
 * attempt's error (a `CredentialError`) when every attempt failed.
 * @example
 * ```ts
 * const credentials = pipe(fromAssumeRole({ RoleArn }), withTimeout(5_000), withRetry({ retries: 2 }), withRefresh())
 * ```
 * @category transforms
 * @since 0.1.0
 */
export const withRetry = (given: WithRetryOptions = {}): ((self: CredentialSource) => CredentialSource) => {
  const options = guarded('withRetry', () => {
    validate(given)
    return { ...given }
  })
  const retries = options.retries ?? 3
  const baseMs = options.baseMs ?? 200
  const maxMs = Math.max(options.maxMs ?? 5_000, baseMs)
  const isRetryable = options.isRetryable ?? isTransient
  const random = options.random ?? Math.random
  return (self) => {
    requireSource('withRetry', self)
    const name = sourceName(self)
    const retrying = async (context?: SourceContext) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await self(context)
        } catch (e) {
          // A retry would resend the same one-time code.
          const mfaSent = context?.mfa !== undefined
          if (attempt >= retries || mfaSent || !isRetryable(e) || context?.signal?.aborted)
            throw toCredentialError(e, name)
          await sleep(backoffMs(attempt + 1, baseMs, maxMs, random), context?.signal, name)
        }
      }
    }
    return inherit(retrying, self)
  }
}
