import type { Server as HttpServer } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'

/** A server listening on loopback, with its count of requests in flight. */
export type Loopback = {
  readonly port: number
  /** Requests received and not yet answered (or dropped). */
  readonly inFlight: () => number
  /** The most requests in flight at once since listening or since `resetPeak()`. */
  readonly peakInFlight: () => number
  /** Starts the peak again from the requests in flight now. */
  readonly resetPeak: () => void
  /** Stops listening and ends every open (keep-alive) connection. */
  readonly close: () => Promise<void>
}

/**
 * Listens on 127.0.0.1 and an ephemeral port; rejects when the port cannot be bound. Counts
 * each request from its arrival until its answer is sent or its socket dies.
 */
export const listenLoopback = (server: HttpServer | HttpsServer): Promise<Loopback> => {
  const load = { current: 0, peak: 0 }
  server.prependListener('request', (_req, res) => {
    load.current += 1
    load.peak = Math.max(load.peak, load.current)
    res.once('close', () => void (load.current -= 1))
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve({
        port: (server.address() as AddressInfo).port,
        inFlight: () => load.current,
        peakInFlight: () => load.peak,
        resetPeak: () => void (load.peak = load.current),
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
