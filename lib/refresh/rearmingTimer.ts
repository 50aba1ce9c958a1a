import { MAX_TIMER_MS } from '../internal/validate.js'

/**
 * What {@link rearmingTimer} returns: makes `onDue` run at `at` (epoch ms of `now`); Infinity
 * disarms. The latest call wins.
 */
export type Schedule = (at: number) => void

/**
 * One `unref`'d timer that calls `onDue` once the clock reaches the last scheduled time
 * (rule 8 of `withRefresh` in the README).
 *
 * A pending timer that fires no later than the new target is kept, and re-arms itself when
 * it fires early: Node keeps an emptied timer list behind for each distinct duration of an
 * unref'd timer, so clearing and re-creating one for every refresh would leave a list behind
 * each time. A delay longer than `setTimeout` honours (2^31-1 ms) is split the same way.
 *
 * @internal
 */
export const rearmingTimer = (now: () => number, onDue: () => void): Schedule => {
  let timer: ReturnType<typeof setTimeout> | undefined
  /** When the armed timer fires, and when `onDue` is due. */
  let timerAt = Infinity
  let dueAt = Infinity

  const clear = (): void => {
    clearTimeout(timer)
    timer = undefined
  }
  const fire = (): void => {
    timer = undefined
    if (now() < dueAt)
      schedule(dueAt) // early: a long delay is split, or the target moved later
    else onDue()
  }
  const schedule = (at: number): void => {
    dueAt = at
    if (at === Infinity) return clear()
    if (timer !== undefined && timerAt <= at) return
    clear()
    const delay = Math.ceil(Math.min(Math.max(0, at - now()), MAX_TIMER_MS))
    timerAt = now() + delay
    timer = setTimeout(fire, delay)
    timer.unref()
  }
  return schedule
}
