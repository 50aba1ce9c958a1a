import type * as Https from 'node:https'
import type { Agent, RequestOptions } from 'node:https'
import type { IncomingMessage } from 'node:http'
import { checkServerIdentity, type SecureContext } from 'node:tls'
import { isIpHost, type IotTarget } from './iotOptions.js'
import { loadBuiltin } from '../../internal/loadBuiltin.js'
import { readBody } from '../x509/readBody.js'
import {
  bodyTooLarge,
  hostHeader,
  MAX_BODY_BYTES,
  networkError,
  type IotRawResponse,
  type IotTransport,
} from './iotTransport.js'

const readAnswer = (res: IncomingMessage, done: (r: IotRawResponse) => void, fail: (e: unknown) => void): void =>
  readBody(res, MAX_BODY_BYTES, bodyTooLarge, (body) => done({ status: res.statusCode ?? 0, body }), fail)

/**
 * The node:https transport: one TLS context (built by the caller, once per source) and one
 * keep-alive agent, so refreshes reuse the connection. After `close()` each request uses its
 * own connection (no agent), so a closed source still works but holds nothing open.
 */
export const httpsTransport = (secureContext: SecureContext): IotTransport => {
  const { Agent, request } = loadBuiltin<typeof Https>('node:https')
  let agent: Agent | undefined = new Agent({ keepAlive: true, maxSockets: 4, maxFreeSockets: 1, scheduling: 'lifo' })
  const send = (
    t: IotTarget,
    path: string,
    headers: Readonly<Record<string, string>>,
    signal: AbortSignal,
    retried = false,
  ): Promise<IotRawResponse> =>
    new Promise<IotRawResponse>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason)
      const fail = (e: unknown): void => reject(signal.aborted ? signal.reason : networkError(e, t))
      // A kept-alive socket the server closed while idle fails at once with ECONNRESET;
      // Node's advice is to send the (idempotent) request again, once, on a new socket.
      const staleSocket = (e: unknown): boolean =>
        !retried && !signal.aborted && req.reusedSocket && (e as { code?: unknown }).code === 'ECONNRESET'
      const options: RequestOptions & { readonly secureContext: SecureContext } = {
        host: t.connectHost,
        port: t.connectPort,
        // No SNI to an IP literal (RFC 6066); the certificate is then checked against the IP.
        ...(isIpHost(t.host) ? {} : { servername: t.host }),
        method: 'GET',
        path,
        headers: { ...headers, host: hostHeader(t) },
        secureContext,
        rejectUnauthorized: true,
        // Node checks against servername, else the connect host; for an IP endpoint (no SNI)
        // that would be connectTo's host. The certificate must name the endpoint itself.
        checkServerIdentity: (_host, cert) => checkServerIdentity(t.host, cert),
        agent: agent ?? false,
      }
      const req = request(options)
      const abort = (): void => void req.destroy(signal.reason as Error)
      signal.addEventListener('abort', abort, { once: true })
      req.on('error', (e) => {
        signal.removeEventListener('abort', abort)
        if (staleSocket(e)) send(t, path, headers, signal, true).then(resolve, reject)
        else fail(e)
      })
      req.on('response', (res) =>
        readAnswer(
          res,
          (r) => {
            signal.removeEventListener('abort', abort)
            resolve(r)
          },
          fail,
        ),
      )
      req.end()
    })
  return {
    request: send,
    close: () => {
      agent?.destroy()
      agent = undefined
    },
  }
}
