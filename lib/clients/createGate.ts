// The pool's bound on STS calls in flight: a counting semaphore with a FIFO queue. A
// finished task hands its slot straight to the oldest waiter, so a burst of new calls can
// never overtake calls that queued before them.

type Waiter = { readonly start: () => void; readonly fail: (error: Error) => void; next: Waiter | undefined }

/** At most `limit` tasks running at once; the rest wait their turn in arrival order. */
export type Gate = {
  /** Runs `task` when a slot is free (at once if one is), and settles as it does. */
  readonly run: <A>(task: () => Promise<A>) => Promise<A>
  /** Tasks running now. */
  readonly active: () => number
  /** Tasks waiting for a slot. */
  readonly waiting: () => number
  /** Rejects every waiting task and every later `run` with `error()`; running tasks finish. */
  readonly close: (error: () => Error) => void
}

/** @param limit the bound, a positive integer (validated by the caller) */
export const createGate = (limit: number): Gate => {
  let active = 0
  let waiting = 0
  let head: Waiter | undefined
  let tail: Waiter | undefined
  let closed: (() => Error) | undefined

  const release = (): void => {
    const next = head
    if (next === undefined) return void (active -= 1)
    head = next.next
    if (head === undefined) tail = undefined
    waiting -= 1
    next.start() // the slot passes on: `active` is unchanged
  }
  const start = <A>(task: () => Promise<A>): Promise<A> => {
    let p: Promise<A>
    try {
      p = Promise.resolve(task())
    } catch (e) {
      p = Promise.reject(e)
    }
    return p.finally(release)
  }
  const enqueue = (w: Waiter): void => {
    if (tail === undefined) head = w
    else tail.next = w
    tail = w
    waiting += 1
  }

  return {
    run: <A>(task: () => Promise<A>): Promise<A> => {
      if (closed !== undefined) return Promise.reject(closed())
      if (active < limit) {
        active += 1
        return start(task)
      }
      return new Promise<A>((resolve, reject) =>
        enqueue({ start: () => void start(task).then(resolve, reject), fail: reject, next: undefined }),
      )
    },
    active: () => active,
    waiting: () => waiting,
    close: (error) => {
      closed = error
      for (let w = head; w !== undefined; w = w.next) w.fail(error())
      head = tail = undefined
      waiting = 0
    },
  }
}
