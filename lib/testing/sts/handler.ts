import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as actions from './actions.js'
import type { ActionContext } from './actions.js'
import type { QueuedFault } from '../shared/faults.js'
import { headerValue } from '../shared/amzDate.js'
import { createRequestHandler, type ReceivedRequest } from '../shared/requestHandler.js'
import type { EmulatorState } from '../shared/serveEmulator.js'
import { parseAuthorization, verifySigV4 } from '../shared/sigv4.js'
import { isStsErrorSpec, stsError, type KnownKey, type StsEmulatorRequest, type StsErrorSpec } from './types.js'
import { sigV4Error } from './sigv4Errors.js'
import { errorXml, successXml } from './xml.js'

/** The emulator's state as the request handler sees it. */
export type HandlerState = Omit<ActionContext, 'params' | 'caller' | 'nowMs' | 'issueExpired'> &
  EmulatorState<StsEmulatorRequest>

const send = (res: ServerResponse, state: HandlerState, status: number, body: string): void => {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'x-amzn-requestid': randomUUID(),
    // The SDK corrects its clock from this header, so it always carries the server clock.
    date: new Date(state.serverNow()).toUTCString(),
  })
  res.end(body)
}

/** Decodes the form body (and query string) as STS does: `+` is a space. */
const parseParams = (url: URL, body: Buffer): Record<string, string> => {
  const params: Record<string, string> = {}
  for (const [k, v] of url.searchParams) params[k] = v
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v
  return params
}

/** The log entry of a request: its action and parameters, and the key that signed it (none for web identity). */
const describe =
  (state: HandlerState) =>
  (req: IncomingMessage, url: URL, body: Buffer): StsEmulatorRequest => {
    const params = parseParams(url, body)
    const action = params['Action'] ?? ''
    return {
      action,
      path: url.pathname,
      time: state.serverNow(),
      params,
      accessKeyId: isSigned(action) ? parseAuthorization(req.headers.authorization)?.accessKeyId : undefined,
      headers: { ...req.headers },
      status: 0,
    }
  }

const isSigned = (action: string): boolean => action !== 'AssumeRoleWithWebIdentity'

/** Handles one HTTP request: faults, SigV4, then the action. */
export const createHandler = (state: HandlerState): ((req: IncomingMessage, res: ServerResponse) => void) =>
  createRequestHandler(state, describe(state), (request) => respond(state, request))

const respond = async (
  state: HandlerState,
  { req, res, body, record, fault }: ReceivedRequest<StsEmulatorRequest>,
): Promise<void> => {
  const { action, params } = record
  if (fault?.kind === 'malformed') return answer(res, state, record, 200, '<AssumeRoleResponse><Unclosed')
  const outcome = await run(
    state,
    req,
    body,
    params,
    action,
    fault?.kind === 'expiredCredentials',
    faultError(fault, isSigned(action)),
  )
  if (isStsErrorSpec(outcome)) {
    record.errorCode = outcome.code
    return answer(res, state, record, outcome.status, errorXml(outcome, randomUUID()))
  }
  answer(res, state, record, 200, successXml(action, outcome, randomUUID()))
}

const answer = (
  res: ServerResponse,
  state: HandlerState,
  record: StsEmulatorRequest,
  status: number,
  body: string,
): void => {
  record.status = status
  send(res, state, status, body)
}

const faultError = (fault: QueuedFault | undefined, signed: boolean): StsErrorSpec | undefined => {
  if (fault?.kind === 'throttle') return stsError(400, 'Throttling', 'Rate exceeded')
  if (fault?.kind === 'status' && fault.status === 503)
    return stsError(503, 'ServiceUnavailable', fault.message ?? 'Service unavailable', 'Receiver')
  if (fault?.kind === 'status' && fault.status >= 500)
    return stsError(fault.status, 'InternalFailure', fault.message ?? 'An internal error occurred', 'Receiver')
  if (fault?.kind === 'status')
    return stsError(
      fault.status,
      fault.status === 429 ? 'Throttling' : 'InvalidRequest',
      fault.message ?? 'Request refused',
    )
  // An unsigned web identity request has no key to expire: STS refuses its token instead.
  if (fault?.kind === 'expiredToken' && !signed)
    return stsError(400, 'InvalidIdentityToken', 'The web identity token is expired')
  if (fault?.kind === 'expiredToken')
    return stsError(403, 'ExpiredToken', 'The security token included in the request is expired')
  return undefined
}

const verify = async (
  state: HandlerState,
  req: IncomingMessage,
  body: Buffer,
  nowMs: number,
): Promise<KnownKey | StsErrorSpec> => {
  const verified = await verifySigV4({
    method: req.method ?? 'POST',
    url: req.url ?? '/',
    headers: req.headers,
    body,
    nowMs,
    maxSkewMs: state.maxSkewMs,
    lookup: state.keys.lookup,
  })
  if ('refusal' in verified) return sigV4Error(verified.refusal, headerValue(req.headers, 'x-amz-date'))
  if (verified.key.expiresAt !== undefined && verified.key.expiresAt <= nowMs)
    return stsError(403, 'ExpiredToken', 'The security token included in the request is expired')
  return verified.key
}

const run = async (
  state: HandlerState,
  req: IncomingMessage,
  body: Buffer,
  params: Record<string, string>,
  action: string,
  issueExpired: boolean,
  injected: StsErrorSpec | undefined,
): Promise<Record<string, unknown> | StsErrorSpec> => {
  if (injected) return injected
  const nowMs = state.serverNow()
  const caller = isSigned(action) ? await verify(state, req, body, nowMs) : undefined
  if (isStsErrorSpec(caller)) return caller
  const ctx: ActionContext = { ...state, params, caller, nowMs, issueExpired }
  try {
    return dispatch(ctx, action)
  } catch (e) {
    if (isStsErrorSpec(e)) return e
    return stsError(500, 'InternalFailure', 'The emulator failed to handle the request', 'Receiver')
  }
}

const dispatch = (ctx: ActionContext, action: string): Record<string, unknown> => {
  if (action === 'AssumeRoleWithWebIdentity') return actions.assumeRoleWithWebIdentity(ctx)
  const caller = ctx.caller!
  if (action === 'AssumeRole') return actions.assumeRole(ctx, caller)
  if (action === 'GetSessionToken') return actions.getSessionToken(ctx, caller)
  if (action === 'GetCallerIdentity') return actions.getCallerIdentity(ctx, caller)
  throw stsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`)
}
