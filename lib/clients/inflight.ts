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
  readonly once?: (event: string, fn: () => void) => unknown
  readonly pipe?: unknown
  readonly readableEnded?: boolean
  readonly destroyed?: boolean
}

/**
 * Calls `done` once the streaming body of a command's result (`response.body`, or a stream in
 * `output`, such as S3 GetObject's `Body`) has ended, errored or been destroyed; at once when
 * there is none (the deserializer already read the body).
 * @internal
 */
export const afterBody = (result: unknown, done: () => void): void => {
  const r = result as { readonly response?: { readonly body?: unknown }; readonly output?: unknown } | undefined
  let watching = false
  let called = false
  const once = (): void => {
    if (called) return
    called = true
    done()
  }
  // 'close' follows an error and a destroy(); no 'error' listener, which would hide the
  // stream's errors from whoever reads it. `output.Body` is usually `response.body` itself:
  // watched twice, it still calls `done` once; the listeners left go with the stream.
  const watch = (v: unknown): void => {
    const s = v as Stream | undefined
    if (typeof s?.once !== 'function' || typeof s.pipe !== 'function' || s.readableEnded || s.destroyed) return
    watching = true
    s.once('end', once)
    s.once('close', once)
  }
  watch(r?.response?.body)
  const output = r?.output
  if (typeof output === 'object' && output !== null)
    for (const key in output) watch((output as Record<string, unknown>)[key])
  if (!watching) done()
}

type State = { inflight: number; evicted: boolean; grace?: ReturnType<typeof setTimeout> }

/** Destroys `client` once: an evicted state is cleared, so a request settling later does not destroy it again. */
const destroy = (client: SdkClient, state: State | undefined): void => {
  if (state !== undefined) {
    state.evicted = false
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
  return {
    track: (client) => {
      const state: State = { inflight: 0, evicted: false }
      states.set(client, state)
      const settle = (): void => {
        if (--state.inflight === 0 && state.evicted) destroy(client, state)
      }
      const counting: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
        state.inflight += 1
        let result: Awaited<ReturnType<typeof next>>
        try {
          result = await next(args)
        } catch (e) {
          settle()
          throw e
        }
        afterBody(result, settle)
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
