import type * as Http from 'node:http'
import type * as Https from 'node:https'
import type { Readable } from 'node:stream'
import { CredentialError } from '../../errors.js'
import { loadBuiltin } from '../../internal/loadBuiltin.js'
import { networkError as mapNetworkError } from '../x509/networkError.js'
import { readBody } from '../x509/readBody.js'
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

const readAnswer = (
  res: Readable,
  status: number | undefined,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  done: (a: RawAnswer) => void,
  fail: (e: unknown) => void,
): void => {
  const type = headers['x-amzn-errortype'] ?? headers['X-Amzn-Errortype']
  readBody(
    res,
    MAX_BODY_BYTES,
    tooLarge,
    (body) => done({ status: status ?? 0, errorType: Array.isArray(type) ? type[0] : type, body }),
    fail,
  )
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
        res.statusCode,
        res.headers,
        (a) => {
          signal.removeEventListener('abort', abort)
          resolve(a)
        },
        fail,
      ),
    )
    req.end(body)
  })

/** @internal The calling SDK client's request handler (the smithy `HttpHandler` shape), as far as a POST needs it. */
export type CallerHandler = {
  readonly handle: (
    request: object,
    options?: { readonly abortSignal?: AbortSignal },
  ) => Promise<{
    readonly response: { readonly statusCode: number; readonly headers: object; readonly body?: unknown }
  }>
}

/**
 * @internal Sends the same `POST` through the calling client's request handler (its agent,
 * proxy and trusted CAs), as a smithy `HttpRequest`; the query is already in `path`.
 */
export const postThrough = async (
  handler: CallerHandler,
  t: RolesAnywhereTarget,
  path: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  signal: AbortSignal,
): Promise<RawAnswer> => {
  if (signal.aborted) throw signal.reason
  const request = {
    protocol: t.protocol,
    hostname: t.hostname,
    port: t.port,
    method: 'POST',
    path,
    query: {},
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    body,
  }
  try {
    const { response } = await handler.handle(request, { abortSignal: signal })
    const stream = response.body as Readable | undefined
    if (stream === undefined || typeof stream.on !== 'function')
      return { status: response.statusCode, errorType: undefined, body: '' }
    return await new Promise<RawAnswer>((resolve, reject) =>
      readAnswer(stream, response.statusCode, response.headers as Record<string, string>, resolve, reject),
    )
  } catch (e) {
    throw signal.aborted ? signal.reason : networkError(e, t)
  }
}
