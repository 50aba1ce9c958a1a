import { CredentialError, isCredentialError } from '../../errors.js'
import { abortable, onAbort } from '../../internal/abortable.js'

const SOURCE = 'fromIotCertificate'

/**
 * One overall deadline for a call (connect + TLS + answer, and discovery when it runs),
 * also ended by the caller's `signal`. The resulting signal's `reason` is the
 * CredentialError to throw: `Timeout`, or `Aborted` (a caller's CredentialError passes as is).
 */
export const deadline = (timeoutMs: number, outer: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } => {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new CredentialError(
    `${SOURCE}: no answer from IoT within timeoutMs (${timeoutMs} ms)`, { code: 'Timeout', source: SOURCE, retryable: true },
  )), timeoutMs)
  const onOuter = (): void => controller.abort(isCredentialError(outer?.reason) ? outer?.reason : new CredentialError(
    `${SOURCE}: the request was aborted by the caller`, { code: 'Aborted', source: SOURCE, cause: outer?.reason },
  ))
  const cancel = onAbort(outer, onOuter)
  return { signal: controller.signal, dispose: () => { clearTimeout(timer); cancel() } }
}

/** Settles with `p`, or rejects with `signal.reason` as soon as it aborts (leaving `p` running for others). */
export const untilAborted = <A>(p: Promise<A>, signal: AbortSignal): Promise<A> => abortable(p, { signal })
