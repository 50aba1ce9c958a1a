// What the client suites share: an in-process S3 answer (no network noise), an STS
// request handler that counts refreshes and asks the emulator for a delay fault on each.
import { Readable } from 'node:stream'
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { StsEmulator } from '../lib/testing/index.js'

/**
 * Answers every S3 request with a 200 HeadObject-style response, in-process, on the next
 * turn of the event loop (as a network answer would: callers that never left the microtask
 * queue would starve timers and sockets, the STS refresh among them).
 */
export const inProcessS3 = () => ({
  metadata: { handlerProtocol: 'http/1.1' },
  handle: async (_request: HttpRequest, _options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> => {
    await new Promise((resolve) => setImmediate(resolve))
    return {
      response: {
        statusCode: 200,
        headers: { 'content-length': '3', etag: '"bench"', 'x-amz-request-id': 'bench' },
        body: Readable.from([]),
      },
    }
  },
  updateHttpClientConfig: () => undefined,
  httpHandlerConfigs: () => ({}),
  destroy: () => undefined,
})

export interface StsCounter {
  /** AssumeRole requests sent so far. */
  sent: number
  /** AssumeRole requests waiting for their answer now. */
  inflight: number
}

/**
 * A real HTTP handler for an STS client that counts its requests and, when `delayMs` is
 * set, injects the emulator's `delay` fault for each one (one fault per request: a fault
 * with count Infinity would hold a request forever).
 */
export const countingStsHandler = (sts: StsEmulator, counter: StsCounter, delayMs?: number) => {
  const inner = new NodeHttpHandler()
  return {
    metadata: inner.metadata,
    handle: async (...[request, options]: Parameters<NodeHttpHandler['handle']>) => {
      if (delayMs !== undefined) sts.inject({ type: 'delay', ms: delayMs, action: 'AssumeRole' })
      counter.sent += 1
      counter.inflight += 1
      try {
        return await inner.handle(request, options)
      } finally {
        counter.inflight -= 1
      }
    },
    updateHttpClientConfig: inner.updateHttpClientConfig.bind(inner),
    httpHandlerConfigs: inner.httpHandlerConfigs.bind(inner),
    destroy: () => inner.destroy(),
  }
}
