import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { isCredentialError } from '../errors.js'
import { toCredentialError } from '../internal/toCredentialError.js'
import type { WithRefreshOptions } from '../refresh/withRefresh.js'
import { withRefresh } from '../refresh/withRefresh.js'
import type { CredentialError } from '../errors.js'
import type { AwsCredentialIdentity, CredentialSource, RefreshingProvider } from '../types.js'

/** The one path credentials are served on. */
export const CREDENTIALS_PATH = '/credentials'

/**
 * Options of {@link startServe}.
 */
export type StartServeOptions = {
  /** The source whose credentials are served, through one `withRefresh` provider. */
  readonly source: CredentialSource
  /** The port on 127.0.0.1. @default 0 (an ephemeral port) */
  readonly port?: number | undefined
  /** Options of the `withRefresh` provider (clock, windows, events). @default withRefresh's defaults */
  readonly refresh?: WithRefreshOptions
  /** Called with each failure to serve credentials (its message holds no secret). @default none */
  readonly onError?: (error: CredentialError) => void
  /** A connection must send its request headers within this, or it is closed; also the keep-alive idle time. @default 5_000 */
  readonly headersTimeoutMs?: number
  /** Open connections kept at most; past it the oldest idle one is closed for the new one. @default 128 */
  readonly maxConnections?: number
}

/**
 * A running credentials endpoint.
 */
export type ServeHandle = {
  /** `http://127.0.0.1:PORT/credentials`: the `AWS_CONTAINER_CREDENTIALS_FULL_URI`. */
  readonly url: string
  /** The random bearer token: the `AWS_CONTAINER_AUTHORIZATION_TOKEN`. */
  readonly token: string
  /** The refreshing provider behind the endpoint. */
  readonly provider: RefreshingProvider
  /** Stops listening, drops open connections and closes the provider (and its source). */
  readonly close: () => Promise<void>
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()

/** Compares in constant time (digests have equal length whatever was sent). */
const tokenMatches = (header: string | undefined, expected: Buffer): boolean => {
  if (header === undefined) return false
  const sent = header.startsWith('Bearer ') ? header.slice(7) : header
  return timingSafeEqual(digest(sent), expected)
}

const send = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** The AWS container-credentials format, as `fromContainerMetadata` and `fromHttp` read it. */
export const toContainerJson = (c: AwsCredentialIdentity): object => ({
  AccessKeyId: c.accessKeyId,
  SecretAccessKey: c.secretAccessKey,
  Token: c.sessionToken,
  Expiration: c.expiration?.toISOString(),
  ...(c.accountId !== undefined && { AccountId: c.accountId }),
})

/** The path of a request target, or undefined when it is not a valid one (`http://[`, garbage). */
const pathOf = (target: string | undefined): string | undefined => {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1').pathname
  } catch {
    return undefined
  }
}

const handler =
  (provider: RefreshingProvider, expected: Buffer, onError: (e: CredentialError) => void) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    try {
      answer(provider, expected, onError, req, res)
    } catch {
      // Whatever a request carries, the server answers and stays up for every other client.
      if (!res.headersSent) send(res, 500, { Code: 'InternalError', Message: 'the request could not be handled' })
      else res.destroy()
    }
  }

const answer = (
  provider: RefreshingProvider,
  expected: Buffer,
  onError: (e: CredentialError) => void,
  req: IncomingMessage,
  res: ServerResponse,
): void => {
  req.resume()
  if (!tokenMatches(req.headers.authorization, expected))
    return send(
      res,
      401,
      { Code: 'Unauthorized', Message: 'missing or wrong Authorization token' },
      { 'www-authenticate': 'Bearer' },
    )
  const path = pathOf(req.url)
  if (path === undefined)
    return send(res, 400, { Code: 'BadRequest', Message: 'the request target is not a valid path' })
  if (path !== CREDENTIALS_PATH)
    return send(res, 404, { Code: 'NotFound', Message: `credentials are served on ${CREDENTIALS_PATH}` })
  if (req.method !== 'GET')
    return send(res, 405, { Code: 'MethodNotAllowed', Message: 'only GET is allowed' }, { allow: 'GET' })
  provider()
    .then(
      (c) => send(res, 200, toContainerJson(c)),
      (e: unknown) => {
        const error = isCredentialError(e) ? e : toCredentialError(e, 'serve')
        onError(error)
        if (!res.destroyed) send(res, 500, { Code: error.code, Message: error.message })
      },
    )
    .catch(() => res.destroy())
}

/**
 * Keeps at most `max` connections: a new one past the cap closes the oldest connection
 * that has no request in flight, so idle or silent clients can never lock real ones out.
 */
const capConnections = (max: number) => {
  const open = new Set<Socket>()
  const busy = new WeakSet<Socket>()
  return {
    onConnection: (socket: Socket): void => {
      if (open.size >= max)
        for (const s of open)
          if (!busy.has(s)) {
            s.destroy()
            break
          }
      open.add(socket)
      socket.once('close', () => open.delete(socket))
    },
    onRequest: (req: IncomingMessage, res: ServerResponse): void => {
      busy.add(req.socket)
      res.once('close', () => busy.delete(req.socket))
    },
  }
}

/**
 * Serves the current credentials of one `withRefresh` provider over `source` on
 * 127.0.0.1 only, in the AWS container-credentials format, to clients that send the random
 * bearer token (32 bytes from `crypto.randomBytes`, compared in constant time) as their
 * `Authorization` header. Answers 401 without or with a wrong token, 404 for other paths,
 * 405 for methods other than GET, 400 for a malformed request, 500 with the error's code
 * and message (never a secret) when credentials cannot be had. Does not fetch until the
 * first request. Stays up whatever a client sends: request headers must arrive within
 * `headersTimeoutMs` (an idle or silent connection is closed after twice that), and past
 * `maxConnections` the oldest idle connection is closed.
 * @example
 * ```ts
 * const served = await startServe({ source: fromAssumeRole({ RoleArn }) })
 * process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = served.url
 * process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = served.token
 * await served.close()
 * ```
 */
export const startServe = async (options: StartServeOptions): Promise<ServeHandle> => {
  const provider = withRefresh(options.refresh)(options.source)
  const token = randomBytes(32).toString('base64url')
  const headersTimeout = options.headersTimeoutMs ?? 5_000
  // Short timeouts, checked every half second: a silent or half-sent request cannot hold a connection for long.
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: 2 * headersTimeout,
      keepAliveTimeout: headersTimeout,
      connectionsCheckingInterval: Math.min(500, headersTimeout / 2),
    },
    handler(provider, digest(token), options.onError ?? (() => undefined)),
  )
  const cap = capConnections(options.maxConnections ?? 128)
  server.on('connection', cap.onConnection)
  server.prependListener('request', cap.onRequest)
  // A connection that never sends a byte has no request for the timeouts above: an idle socket timeout closes it.
  server.setTimeout(2 * headersTimeout, (socket) => socket.destroy())
  // Answer, then close at once: the server socket is half-open and would otherwise wait for the client's FIN.
  server.on('clientError', (e: { code?: string }, socket) => {
    if (!socket.writable) return socket.destroy()
    const status = e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request'
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy())
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
    })
  } catch (e) {
    provider.close()
    throw e
  }
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${CREDENTIALS_PATH}`,
    token,
    provider,
    close: () =>
      new Promise<void>((resolve) => {
        provider.close()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
