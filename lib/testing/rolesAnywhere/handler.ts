import { randomUUID, type X509Certificate } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createSession, type SessionContext } from './session.js'
import type { QueuedFault } from '../shared/faults.js'
import { createRequestHandler, type ReceivedRequest } from '../shared/requestHandler.js'
import type { EmulatorState } from '../shared/serveEmulator.js'
import type { RolesAnywhereEmulatorRequest } from './types.js'
import { isRaError, parseAuthorization, raError, verifyRequest, type RaError } from './verify.js'

export type HandlerState = Omit<SessionContext, 'nowMs' | 'expired'> &
  EmulatorState<RolesAnywhereEmulatorRequest> & {
    readonly anchor: X509Certificate
  }

const send = (
  res: ServerResponse,
  record: RolesAnywhereEmulatorRequest,
  status: number,
  body: string,
  error?: RaError,
): void => {
  record.status = status
  if (error) {
    record.errorType = error.type
    record.message = error.message
  }
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...(error ? { 'x-amzn-errortype': error.type } : {}),
  })
  res.end(body)
}

const faultError = (f: QueuedFault | undefined): RaError | undefined => {
  if (f?.kind === 'throttle') return raError(429, 'ThrottlingException', 'Rate exceeded')
  // The service has no expired-token answer for a certificate: its nearest is this refusal.
  if (f?.kind === 'expiredToken')
    return raError(403, 'AccessDeniedException', 'Certificate is expired or not yet valid')
  if (f?.kind !== 'status') return undefined
  const type =
    f.status === 503
      ? 'ServiceUnavailableException'
      : f.status >= 500
        ? 'InternalServerException'
        : f.status === 429
          ? 'ThrottlingException'
          : 'AccessDeniedException'
  return raError(
    f.status,
    type,
    f.message ?? (f.status >= 500 ? 'Service unavailable, please retry' : 'Request refused'),
  )
}

/** The log entry of a request: what it sent, and the algorithm and serial of its Authorization header. */
const describe =
  (state: HandlerState) =>
  (req: IncomingMessage, url: URL, body: Buffer): RolesAnywhereEmulatorRequest => {
    const auth = parseAuthorization(req.headers.authorization)
    return {
      action: 'CreateSession',
      path: url.pathname,
      time: state.serverNow(),
      method: req.method ?? '',
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: body.toString('utf8'),
      algorithm: auth?.algorithm,
      serial: auth?.serial,
      status: 0,
    }
  }

/** Handles one request: record, faults, then verification and the session. */
export const createHandler = (state: HandlerState): ((req: IncomingMessage, res: ServerResponse) => void) =>
  createRequestHandler(state, describe(state), (request) => respond(state, request))

const respond = (
  state: HandlerState,
  { req, res, url, body, record, fault }: ReceivedRequest<RolesAnywhereEmulatorRequest>,
): void => {
  if (fault?.kind === 'malformed') return send(res, record, 201, '{"credentialSet": [ {"credentials": ')
  const injected = faultError(fault)
  if (injected) return send(res, record, injected.status, JSON.stringify({ message: injected.message }), injected)
  const outcome = answer(state, req, url, body, fault?.kind === 'expiredCredentials')
  if (isRaError(outcome))
    return send(res, record, outcome.status, JSON.stringify({ message: outcome.message }), outcome)
  send(res, record, 201, JSON.stringify(outcome))
}

const answer = (
  state: HandlerState,
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  expired: boolean,
): Record<string, unknown> | RaError => {
  if (req.method !== 'POST' || url.pathname !== '/sessions')
    return raError(404, 'ResourceNotFoundException', `No operation at ${req.method} ${url.pathname}`)
  const nowMs = state.serverNow()
  const verified = verifyRequest({
    method: req.method,
    url,
    headers: req.headers,
    body,
    nowMs,
    maxSkewMs: state.maxSkewMs,
    anchor: state.anchor,
  })
  if (isRaError(verified)) return verified
  return createSession({ ...state, nowMs, expired }, url.searchParams, body, verified.leaf)
}
