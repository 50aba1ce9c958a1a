import type { InitializeMiddleware, MetadataBearer } from '@smithy/types'
import type { SdkClient } from '../types.js'

export const INFLIGHT_MIDDLEWARE = 'awsRefreshSessionInflight'

/**
 * How long an evicted client (or retired pool role) waits at most for its requests and their
 * streaming bodies: a body nobody reads nor destroys must not pin it, and its sockets, forever.
 */
export const EVICTION_GRACE_MS = 300_000

/** Destroys evicted clients once they are idle; see {@link trackInflight}. */
export type InflightTracker = {
  /** Counts the requests in flight of `client` (a middleware in its `initialize` step). */
  readonly track: (client: SdkClient) => void
  /** `client.destroy()` now if it has no request in flight, else after the last one settles. */
  readonly destroyWhenIdle: (client: SdkClient) => void
}

type Stream = {
  readonly once: (event: string, fn: () => void) => unknown
  readonly removeListener: (event: string, fn: () => void) => unknown
  readonly readableEnded?: boolean
  readonly destroyed?: boolean
}

const isOpenStream = (v: unknown): v is Stream => {
  const s = v as Partial<Stream> & { readonly pipe?: unknown }
  return (
    typeof s?.once === 'function' &&
    typeof s.pipe === 'function' &&
    typeof s.removeListener === 'function' &&
    s.readableEnded !== true &&
    s.destroyed !== true
  )
}

// 'close' follows an error and a destroy(); no 'error' listener, which would hide the
// stream's errors from whoever reads it.
const DONE_EVENTS = ['end', 'close'] as const

/**
 * Calls `done` once the streaming body of a command's result (`response.body`, or a stream in
 * `output`, such as S3 GetObject's `Body`) has ended, errored or been destroyed; at once when
 * there is none (the deserializer already read the body).
 * @internal
 */
export const afterBody = (result: unknown, done: () => void): void => {
  const r = result as { readonly response?: { readonly body?: unknown }; readonly output?: unknown } | undefined
  // Most results carry no open stream: found without allocating (this runs on every request).
  let streams: Stream[] | undefined
  const consider = (v: unknown): void => {
    // `output.Body` is usually `response.body` itself: each stream once.
    if (isOpenStream(v) && !streams?.includes(v)) (streams ??= []).push(v)
  }
  consider(r?.response?.body)
  const output = r?.output
  if (typeof output === 'object' && output !== null)
    for (const key of Object.keys(output)) consider((output as Record<string, unknown>)[key])
  if (streams === undefined) return done()
  const open = streams
  let called = false
  const once = (): void => {
    if (called) return
    called = true
    for (const s of open) for (const e of DONE_EVENTS) s.removeListener(e, once)
    done()
  }
  for (const s of open) for (const e of DONE_EVENTS) s.once(e, once)
}

type State = { inflight: number; evicted: boolean; destroyed: boolean; grace?: ReturnType<typeof setTimeout> }

const destroy = (client: SdkClient, state: State | undefined): void => {
  if (state !== undefined) {
    if (state.destroyed) return
    state.destroyed = true
    clearTimeout(state.grace)
  }
  try {
    client.destroy()
  } catch {
    // A client that fails to destroy is dropped all the same.
  }
}

/**
 * Per factory: an evicted client is destroyed after its last request settles and its last
 * streaming body is done, so eviction never tears down a socket a request or a download
 * uses; at most `graceMs` after the eviction.
 */
export const trackInflight = (graceMs = EVICTION_GRACE_MS): InflightTracker => {
  const states = new WeakMap<SdkClient, State>()
  const settle = (client: SdkClient, state: State): void => {
    state.inflight -= 1
    if (state.inflight === 0 && state.evicted) destroy(client, state)
  }
  return {
    track: (client) => {
      const state: State = { inflight: 0, evicted: false, destroyed: false }
      states.set(client, state)
      const counting: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
        state.inflight += 1
        let result: Awaited<ReturnType<typeof next>>
        try {
          result = await next(args)
        } catch (e) {
          settle(client, state)
          throw e
        }
        afterBody(result, () => settle(client, state))
        return result
      }
      client.middlewareStack.add(counting, {
        step: 'initialize',
        priority: 'high',
        name: INFLIGHT_MIDDLEWARE,
        override: true,
      })
    },
    destroyWhenIdle: (client) => {
      const state = states.get(client)
      if (state === undefined || state.inflight === 0) return destroy(client, state)
      state.evicted = true
      // Unref'd: nobody awaits it; the requests and bodies it waits for hold their own sockets.
      state.grace = setTimeout(() => destroy(client, state), graceMs)
      state.grace.unref()
    },
  }
}
