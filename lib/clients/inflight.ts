import type { InitializeMiddleware, MetadataBearer } from '@smithy/types'
import type { SdkClient } from '../types.js'

export const INFLIGHT_MIDDLEWARE = 'awsRefreshSessionInflight'

/** Destroys evicted clients once they are idle; see {@link trackInflight}. */
export type InflightTracker = {
  /** Counts the requests in flight of `client` (a middleware in its `initialize` step). */
  readonly track: (client: SdkClient) => void
  /** `client.destroy()` now if it has no request in flight, else after the last one settles. */
  readonly destroyWhenIdle: (client: SdkClient) => void
}

type State = { inflight: number; evicted: boolean }

const destroy = (client: SdkClient): void => {
  try {
    client.destroy()
  } catch {
    // A client that fails to destroy is dropped all the same.
  }
}

/**
 * Per factory: an evicted client is destroyed after its last request settles, so eviction
 * never tears down a socket a request (or a streaming body, which cannot be resent) uses.
 */
export const trackInflight = (): InflightTracker => {
  const states = new WeakMap<SdkClient, State>()
  const settle = (client: SdkClient, state: State): void => {
    state.inflight -= 1
    if (state.inflight === 0 && state.evicted) destroy(client)
  }
  return {
    track: (client) => {
      const state: State = { inflight: 0, evicted: false }
      states.set(client, state)
      const counting: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
        state.inflight += 1
        try {
          return await next(args)
        } finally {
          settle(client, state)
        }
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
      if (state === undefined || state.inflight === 0) return destroy(client)
      state.evicted = true
    },
  }
}
