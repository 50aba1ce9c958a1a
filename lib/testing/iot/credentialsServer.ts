import { createServer } from 'node:https'
import type { TestCertificate } from '../createTestCertificateAuthority.js'
import { listenLoopback, type Loopback } from '../shared/listen.js'
import { createTimers } from '../shared/timers.js'
import { answerCredentials, record, type CredentialsContext, type IotRecordedRequest } from './credentials.js'

export type CredentialsServer = Omit<Loopback, 'close'> & {
  readonly requests: IotRecordedRequest[]
  readonly stats: { connections: number; tlsHandshakes: number }
  /** Clears pending delays, ends every connection and stops listening. */
  readonly close: () => Promise<void>
}

/**
 * The mutual-TLS listener on 127.0.0.1: asks for a client certificate but, like IoT, lets
 * the handshake finish without a trusted one and answers 403 itself. Counts connections and
 * handshakes, records every request.
 */
export const startCredentialsServer = async (
  tls: { readonly server: TestCertificate; readonly ca: string },
  ctx: Omit<CredentialsContext, 'later'>,
): Promise<CredentialsServer> => {
  const timers = createTimers()
  const later = (ms: number, fn: () => void): void => void timers.sleep(ms).then(fn)
  const requests: IotRecordedRequest[] = []
  const stats = { connections: 0, tlsHandshakes: 0 }
  const options = {
    key: tls.server.privateKey,
    cert: tls.server.certificate,
    ca: [tls.ca],
    requestCert: true,
    rejectUnauthorized: false,
  }
  const server = createServer(options, (req, res) => {
    const seen = record(req, ctx.nowMs())
    requests.push(seen)
    res.on('finish', () => {
      seen.status = res.statusCode
    })
    req.resume()
    req.on('end', () => answerCredentials(req, res, seen, { ...ctx, later }))
  })
  server.on('connection', () => void stats.connections++)
  server.on('secureConnection', () => void stats.tlsHandshakes++)
  server.on('tlsClientError', () => undefined)
  const loopback = await listenLoopback(server)
  return {
    ...loopback,
    requests,
    stats,
    close: async () => {
      timers.clear()
      await loopback.close()
    },
  }
}
