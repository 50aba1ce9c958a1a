import type { InitializeMiddleware, MetadataBearer } from '@smithy/types'
import type { SdkClient } from '../types.js'

export const INFLIGHT_MIDDLEWARE = 'awsRefreshSessionInflight'

/**
 * How long an evicted client (or retired pool role) waits at most for its requests and their
 * streaming bodies: a body nobody reads nor destroys must not pin it, and its sockets, forever.
 */
export const EVICTION_GRACE_MS = 300_000

type Stream = {
  readonly once?: (event: string, fn: () => void) => unknown
  readonly pipe?: unknown
  readonly readableEnded?: boolean
  readonly destroyed?: boolean
}

/**
 * Calls `done` once the streaming body of a command's result has closed (ended, errored or
 * been destroyed); at once when there is none (the deserializer already read the body). The body
 * is `response.body`: the stream the socket's data arrives through, which a streaming output
 * (S3 GetObject's `Body`) is, or reads from (a checksum stream replaces `response.body` too).
 * @internal
 */
export const afterBody = (result: unknown, done: () => void): void => {
  const body = (result as { readonly response?: { readonly body?: Stream } } | undefined)?.response?.body
  if (typeof body?.once !== 'function' || typeof body.pipe !== 'function' || body.readableEnded || body.destroyed)
    return done()
  // 'close' comes once, after 'end', an error or a destroy(): Node streams destroy themselves
  // when they end (`autoDestroy`, the default; the SDK's IncomingMessage and checksum streams
  // have it). No 'error' listener, which would hide the stream's errors from whoever reads it.
  body.once('close', done)
}

/**
 * Counts the requests in flight of `client` (a middleware in its `initialize` step) and
 * returns what its eviction does: `client.destroy()` now if it is idle, else once its last
 * request settles and that request's streaming body is done, so eviction never tears down
 * a socket a request or a download uses; at most `graceMs` after the eviction.
 */
export const trackInflight = (client: SdkClient, graceMs = EVICTION_GRACE_MS): (() => void) => {
  let inflight = 0
  let evicted = false
  let grace: ReturnType<typeof setTimeout> | undefined
  // Once: a request settling after the grace period has destroyed the client finds it no longer evicted.
  const destroy = (): void => {
    evicted = false
    clearTimeout(grace)
    try {
      client.destroy()
    } catch {
      // A client that fails to destroy is dropped all the same.
    }
  }
  const settle = (): void => {
    if (--inflight === 0 && evicted) destroy()
  }
  const counting: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
    inflight += 1
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
  return () => {
    if (inflight === 0) return destroy()
    evicted = true
    // Unref'd: nobody awaits it; the requests and bodies it waits for hold their own sockets.
    grace = setTimeout(destroy, graceMs)
    grace.unref()
  }
}
