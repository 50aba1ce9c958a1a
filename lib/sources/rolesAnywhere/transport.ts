import type * as Http from 'node:http'
import type { IncomingMessage } from 'node:http'
import type * as Https from 'node:https'
import { CredentialError } from '../../errors.js'
import { loadBuiltin } from '../../internal/loadBuiltin.js'
import { networkError as mapNetworkError } from '../x509/networkError.js'
import { SOURCE, type RolesAnywhereTarget } from './options.js'

/** @internal The service's raw answer. */
export type RawAnswer = { readonly status: number; readonly errorType: string | undefined; readonly body: string }

/** CreateSession answers are about 2 KiB; a larger body is not the service. */
const MAX_BODY_BYTES = 256 * 1024

const networkError = (e: unknown, t: RolesAnywhereTarget): CredentialError =>
  mapNetworkError(e, { source: SOURCE, where: t.host, tlsHint: 'check the endpoint name and ca' })

const tooLarge = (): CredentialError =>
  new CredentialError(`${SOURCE}: the answer exceeds ${MAX_BODY_BYTES} bytes; is the endpoint IAM Roles Anywhere?`, {
    code: 'InvalidCredentials',
    source: SOURCE,
  })

const readAnswer = (res: IncomingMessage, done: (a: RawAnswer) => void, fail: (e: unknown) => void): void => {
  const chunks: Buffer[] = []
  let size = 0
  res.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > MAX_BODY_BYTES) res.destroy(tooLarge())
    else chunks.push(chunk)
  })
  res.on('error', fail)
  res.on('end', () => {
    const type = res.headers['x-amzn-errortype']
    done({
      status: res.statusCode ?? 0,
      errorType: Array.isArray(type) ? type[0] : type,
      body: Buffer.concat(chunks).toString('utf8'),
    })
  })
}

/**
 * @internal Sends one `POST` over node:https (peer verification always on; `ca` replaces
 * Node's roots when given) or plain http to a loopback host. One connection per call
 * (`agent: false`): the service is asked about once an hour, and nothing stays open.
 */
export const post = (
  t: RolesAnywhereTarget,
  path: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  signal: AbortSignal,
  ca: Buffer | undefined,
): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const fail = (e: unknown): void => reject(signal.aborted ? signal.reason : networkError(e, t))
    const options = {
      host: t.hostname,
      port: t.port,
      method: 'POST',
      path,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: false as const,
    }
    const req =
      t.protocol === 'https:'
        ? loadBuiltin<typeof Https>('node:https').request({
            ...options,
            rejectUnauthorized: true,
            ...(ca !== undefined ? { ca } : {}),
          })
        : loadBuiltin<typeof Http>('node:http').request(options)
    const abort = (): void => void req.destroy(signal.reason as Error)
    signal.addEventListener('abort', abort, { once: true })
    req.on('error', (e) => {
      signal.removeEventListener('abort', abort)
      fail(e)
    })
    req.on('response', (res) =>
      readAnswer(
        res,
        (a) => {
          signal.removeEventListener('abort', abort)
          resolve(a)
        },
        fail,
      ),
    )
    req.end(body)
  })
