import type { Server as HttpServer } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import { createFaultQueue, fromLegacyFault, type FaultQueue, type LegacyFault, type QueuedFault } from './faults.js'
import { listenLoopback, type Loopback } from './listen.js'
import { createTimers } from './timers.js'

/** The clock options of an emulator. */
export type EmulatorClockOptions = {
  /** The server clock, in epoch ms. @default Date.now */
  readonly now?: (() => number) | undefined
  /** Allowed distance between a request's `X-Amz-Date` and the server clock. @default 300000 (5 min, as SigV4) */
  readonly maxSkewMs?: number | undefined
}

/** What an emulator's request handler is given: its clock, its faults, its request log and its timers. */
export type EmulatorState<R> = {
  /** The server clock: `now()` moved by `setSkewMs`. */
  readonly serverNow: () => number
  readonly maxSkewMs: number
  readonly faults: FaultQueue
  /** The request log, oldest first. */
  readonly requests: R[]
  /** Waits on a timer that `close()` clears, so an injected delay never keeps the process alive. */
  readonly sleep: (ms: number) => Promise<void>
}

/** The controls an emulator built by {@link serveEmulator} hands out as they are. */
export type ServedControls<R> = {
  readonly requests: readonly R[]
  readonly fault: (fault: QueuedFault) => void
  readonly reset: () => void
  readonly inject: (fault: LegacyFault) => void
  readonly clearFaults: () => void
  readonly clearRequests: () => void
  readonly inFlight: () => number
  readonly peakInFlight: () => number
  readonly setSkewMs: (ms: number) => void
  readonly close: () => Promise<void>
}

/**
 * The start-up wiring of an emulator with one listener: the fault queue, the request log, the
 * skewable clock and the delay timers for `createServer`'s handler, then 127.0.0.1 on an
 * ephemeral port, and the shared controls over all of it.
 *
 * @throws when the port cannot be bound.
 */
export const serveEmulator = async <R>(
  options: EmulatorClockOptions,
  createServer: (state: EmulatorState<R>) => HttpServer | HttpsServer,
): Promise<{ readonly port: number; readonly controls: ServedControls<R> }> => {
  const now = options.now ?? Date.now
  const clock = { skewMs: 0 }
  const timers = createTimers()
  const state: EmulatorState<R> = {
    serverNow: () => now() + clock.skewMs,
    maxSkewMs: options.maxSkewMs ?? 300_000,
    faults: createFaultQueue(),
    requests: [],
    sleep: timers.sleep,
  }
  const server = await listenLoopback(createServer(state))
  const controls = controlsOf(
    state,
    server,
    (ms) => void (clock.skewMs = ms),
    async () => {
      timers.clear()
      await server.close()
    },
  )
  return { port: server.port, controls }
}

const controlsOf = <R>(
  { faults, requests }: EmulatorState<R>,
  server: Loopback,
  setSkewMs: (ms: number) => void,
  close: () => Promise<void>,
): ServedControls<R> => {
  const clearRequests = (): void => {
    requests.splice(0)
    server.resetPeak()
  }
  return {
    requests,
    fault: faults.add,
    reset: () => {
      faults.clear()
      clearRequests()
    },
    inject: (fault) => faults.add(fromLegacyFault(fault)),
    clearFaults: faults.clear,
    clearRequests,
    inFlight: server.inFlight,
    peakInFlight: server.peakInFlight,
    setSkewMs,
    close,
  }
}
