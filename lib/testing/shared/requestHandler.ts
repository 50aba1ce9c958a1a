import type { IncomingMessage, ServerResponse } from 'node:http'
import { nextFault, type QueuedFault } from './faults.js'
import type { EmulatorState } from './serveEmulator.js'
import type { EmulatorRequestRecord } from './types.js'

/** A record of the request log, with the signing key when the emulator knows one (faults match on it). */
export type LoggedRequest = EmulatorRequestRecord & { readonly accessKeyId?: string | undefined }

/** A request past the common preamble: read, logged, its fault taken. */
export type ReceivedRequest<R> = {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly url: URL
  readonly body: Buffer
  /** The entry of the request log (its `status` is still 0). */
  readonly record: R
  /** The fault for this request, after any `delay` was waited out; never `delay` or `reset`. */
  readonly fault: QueuedFault | undefined
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })

/**
 * The request listener of an emulator: reads the whole body, logs the record `describe` makes
 * of the request, takes the fault matching its action and key (waiting out a `delay`,
 * dropping the connection for a `reset`), then lets `respond` answer. Any failure destroys the
 * connection, so a client never hangs.
 */
export const createRequestHandler =
  <R extends LoggedRequest>(
    state: EmulatorState<R>,
    describe: (req: IncomingMessage, url: URL, body: Buffer) => R,
    respond: (request: ReceivedRequest<R>) => void | Promise<void>,
  ) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    const receive = async (): Promise<void> => {
      const body = await readBody(req)
      const url = new URL(req.url ?? '/', 'http://emulator.invalid')
      const record = describe(req, url, body)
      state.requests.push(record)
      const target = { action: record.action, accessKeyId: record.accessKeyId }
      const fault = await nextFault(state.faults, target, state.sleep)
      if (fault?.kind === 'reset') return void req.socket.destroy()
      await respond({ req, res, url, body, record, fault })
    }
    void receive().catch(() => res.destroy())
  }
