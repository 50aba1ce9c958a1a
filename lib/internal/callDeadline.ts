import { CredentialError, isCredentialError } from '../errors.js'
import { onAbort } from './abortable.js'

/** @internal What {@link callDeadline} needs. */
export type CallDeadlineOptions = {
  /** The source name the errors carry. */
  readonly source: string
  readonly timeoutMs: number
  /** The caller's signal (`context.signal`). */
  readonly signal: AbortSignal | undefined
  /** The `Timeout` error's message, after `source: `. */
  readonly timeoutMessage: string
  /** The error when the caller's signal aborts. @default its reason when a CredentialError, else `Aborted` */
  readonly aborted?: (signal: AbortSignal) => CredentialError
}

/**
 * @internal One deadline for one call of a source (the request is torn down through the
 * signal), also ended by the caller's signal. The signal's `reason` is the CredentialError to
 * throw: `Timeout` (retryable) or what `aborted` gives. The caller waits on the timer, so it
 * is not `unref`'d; `dispose()` clears it and the listener, so nothing outlives the call.
 */
export const callDeadline = (o: CallDeadlineOptions): { signal: AbortSignal; dispose: () => void } => {
  const { source, signal: outer } = o
  const controller = new AbortController()
  const timer = setTimeout(
    () =>
      controller.abort(
        new CredentialError(`${source}: ${o.timeoutMessage}`, { code: 'Timeout', source, retryable: true }),
      ),
    o.timeoutMs,
  )
  const aborted =
    o.aborted ??
    ((s: AbortSignal): CredentialError =>
      isCredentialError(s.reason)
        ? s.reason
        : new CredentialError(`${source}: aborted by the caller`, {
            code: 'Aborted',
            source,
            cause: s.reason,
          }))
  const cancel = onAbort(outer, () => controller.abort(aborted(outer!)))
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer)
      cancel()
    },
  }
}
