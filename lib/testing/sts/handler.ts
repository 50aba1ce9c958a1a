import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as actions from './actions.js'
import type { ActionContext } from './actions.js'
import { nextFault, type FaultQueue, type QueuedFault } from '../shared/faults.js'
import { headerValue } from '../shared/amzDate.js'
import { parseAuthorization, verifySigV4 } from '../shared/sigv4.js'
import { isStsErrorSpec, stsError, type KnownKey, type StsEmulatorRequest, type StsErrorSpec } from './types.js'
import { sigV4Error } from './sigv4Errors.js'
import { errorXml, successXml } from './xml.js'

/** The emulator's state as the request handler sees it. */
export type HandlerState = Omit<ActionContext, 'params' | 'caller' | 'nowMs' | 'issueExpired'> & {
  readonly serverNow: () => number
  readonly maxSkewMs: number
  readonly faults: FaultQueue
  readonly requests: StsEmulatorRequest[]
  readonly sleep: (ms: number) => Promise<void>
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })

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
const parseParams = (url: string, body: Buffer): Record<string, string> => {
  const params: Record<string, string> = {}
  for (const [k, v] of new URL(url, 'http://emulator.invalid').searchParams) params[k] = v
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v
  return params
}

/** Handles one HTTP request: faults, SigV4, then the action. */
export const createHandler =
  (state: HandlerState) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    void handle(state, req, res).catch(() => res.destroy())
  }

const handle = async (state: HandlerState, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const body = await readBody(req)
  const params = parseParams(req.url ?? '/', body)
  const action = params['Action'] ?? ''
  const signed = action !== 'AssumeRoleWithWebIdentity'
  const keyId = signed ? parseAuthorization(req.headers.authorization)?.accessKeyId : undefined
  const path = new URL(req.url ?? '/', 'http://emulator.invalid').pathname
  const record: StsEmulatorRequest = {
    action,
    path,
    time: state.serverNow(),
    params,
    accessKeyId: keyId,
    headers: { ...req.headers },
    status: 0,
  }
  state.requests.push(record)
  const fault = await nextFault(state.faults, { action, accessKeyId: keyId }, state.sleep)
  if (fault?.kind === 'reset') return void req.socket.destroy()
  if (fault?.kind === 'malformed') return answer(res, state, record, 200, '<AssumeRoleResponse><Unclosed')
  const outcome = await run(
    state,
    req,
    body,
    params,
    action,
    fault?.kind === 'expiredCredentials',
    faultError(fault, signed),
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
  const caller = action === 'AssumeRoleWithWebIdentity' ? undefined : await verify(state, req, body, nowMs)
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
