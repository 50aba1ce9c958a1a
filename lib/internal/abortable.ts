// The one way this library waits on an AbortSignal and a deadline. Callers that share a
// signal (every caller of one refreshing provider passing the request's signal) share one
// 'abort' listener on it: the waiters are kept in a set attached to the signal itself, so
// a thousand waiting callers do not trip Node's MaxListenersExceededWarning.
import { hide } from './redact.js'

// This copy's own key: another copy of the package (CommonJS beside ESM, another version) keeps
// its own set and adds its own one listener.
const WAITERS = Symbol('abortWaiters')
type Waiters = Set<() => void>
const noop = (): void => undefined

/**
 * Calls `fn` once when `signal` aborts (at once if it already has); returns the function
 * that cancels it. Adds at most one listener per signal, whatever the number of callers.
 * `fn` is the waiter itself (a set member): each wait gives its own function, as every
 * caller does with a closure of its call.
 * @internal
 */
export const onAbort = (signal: AbortSignal | undefined, fn: () => void): (() => void) => {
  if (signal?.aborted) fn()
  if (!signal || signal.aborted) return noop
  let waiters = (signal as unknown as Record<symbol, Waiters | undefined>)[WAITERS]
  if (!waiters) {
    const created: Waiters = (waiters = new Set())
    hide(signal, WAITERS, created)
    signal.addEventListener(
      'abort',
      () => {
        // A waiter cancelled meanwhile is deleted from the set, which iteration allows (and skips it).
        for (const f of created) f()
        created.clear()
      },
      { once: true },
    )
  }
  waiters.add(fn)
  return () => void waiters.delete(fn)
}

/**
 * What {@link abortable} races `promise` against.
 * @internal
 */
export type AbortableOptions = {
  /** The caller's signal. */
  readonly signal?: AbortSignal | undefined
  /** The error to reject with when `signal` aborts. @default `signal.reason` */
  readonly aborted?: (signal: AbortSignal) => unknown
  /** A deadline in milliseconds. @default none */
  readonly timeoutMs?: number | undefined
  /** The error to reject with at the deadline. @default an `Error` "timed out" */
  readonly timedOut?: () => unknown
  /**
   * Whether the deadline timer lets the process exit. Off by default: whoever awaits the
   * result is blocked on it, and a process holding only unref'd timers ends mid-`await`.
   * @default false
   */
  readonly unref?: boolean
}

/**
 * Settles as `promise` does, or rejects as soon as the signal aborts or the deadline
 * passes, whichever comes first; `promise` goes on, its outcome observed (never an
 * unhandled rejection). Nothing outlives the race: the timer and the listener go with it.
 * @internal
 */
export const abortable = <T>(promise: Promise<T>, o: AbortableOptions): Promise<T> => {
  const { signal, timeoutMs } = o
  if (!signal && timeoutMs === undefined) return promise
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let cancel = noop
    const settle =
      (f: (v: never) => void) =>
      (v: unknown): void => {
        cancel()
        clearTimeout(timer)
        f(v as never)
      }
    // First, so that an outcome after an early abort is still observed.
    promise.then(settle(resolve), settle(reject))
    cancel = onAbort(signal, () => settle(reject)(o.aborted ? o.aborted(signal!) : signal!.reason))
    if (timeoutMs !== undefined && !signal?.aborted) {
      timer = setTimeout(() => settle(reject)(o.timedOut ? o.timedOut() : new Error('timed out')), timeoutMs)
      if (o.unref) timer.unref()
    }
  })
}
