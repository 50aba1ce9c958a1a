import { createServer, type Server } from 'node:https'
import type { TestCertificate } from '../createTestCertificateAuthority.js'
import { answerCredentials, record, type CredentialsContext, type IotRecordedRequest } from './credentials.js'

/** TCP connections accepted and TLS handshakes completed, as `IotEmulator.stats` shows them. */
export type ConnectionStats = { connections: number; tlsHandshakes: number }

/**
 * The mutual-TLS listener: asks for a client certificate but, like IoT, lets the handshake
 * finish without a trusted one and answers 403 itself. Counts connections and handshakes in
 * `stats`, records every request in `ctx.requests`.
 */
export const createCredentialsServer = (
  tls: { readonly server: TestCertificate; readonly ca: string },
  stats: ConnectionStats,
  ctx: CredentialsContext & { readonly requests: IotRecordedRequest[] },
): Server => {
  const options = {
    key: tls.server.privateKey,
    cert: tls.server.certificate,
    ca: [tls.ca],
    requestCert: true,
    rejectUnauthorized: false,
  }
  const server = createServer(options, (req, res) => {
    const seen = record(req, ctx.nowMs())
    ctx.requests.push(seen)
    res.on('finish', () => {
      seen.status = res.statusCode
    })
    req.resume()
    req.on('end', () => answerCredentials(req, res, seen, ctx))
  })
  server.on('connection', () => void stats.connections++)
  server.on('secureConnection', () => void stats.tlsHandshakes++)
  server.on('tlsClientError', () => undefined)
  return server
}
