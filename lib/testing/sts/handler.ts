import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as actions from './actions.js'
import type { ActionContext } from './actions.js'
import type { FaultQueue } from './faults.js'
import { parseAuthorization, verifySigV4 } from './sigv4.js'
import { isStsErrorSpec, stsError, type StsEmulatorRequest, type StsErrorSpec } from './types.js'
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
export const createHandler = (state: HandlerState) => (req: IncomingMessage, res: ServerResponse): void => {
  void handle(state, req, res).catch(() => res.destroy())
}

const handle = async (state: HandlerState, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const body = await readBody(req)
  const params = parseParams(req.url ?? '/', body)
  const action = params['Action'] ?? ''
  const signed = action !== 'AssumeRoleWithWebIdentity'
  const keyId = signed ? parseAuthorization(req.headers.authorization)?.accessKeyId : undefined
  const record: StsEmulatorRequest = { action, params, accessKeyId: keyId, headers: { ...req.headers }, status: 0 }
  state.requests.push(record)
  let fault = state.faults.take(action, keyId)
  // One delay per request (a delay with `count: N` slows N requests), then any other fault.
  if (fault?.type === 'delay') {
    await state.sleep(fault.ms)
    fault = state.faults.take(action, keyId, 'delay')
  }
  if (fault?.type === 'reset') return void req.socket.destroy()
  if (fault?.type === 'malformed') return answer(res, state, record, 200, '<AssumeRoleResponse><Unclosed')
  const outcome = await run(state, req, body, params, action, fault?.type === 'expiredCredentials', faultError(fault))
  if (isStsErrorSpec(outcome)) {
    record.errorCode = outcome.code
    return answer(res, state, record, outcome.status, errorXml(outcome, randomUUID()))
  }
  answer(res, state, record, 200, successXml(action, outcome, randomUUID()))
}

const answer = (res: ServerResponse, state: HandlerState, record: StsEmulatorRequest, status: number, body: string): void => {
  record.status = status
  send(res, state, status, body)
}

const faultError = (fault: ReturnType<FaultQueue['take']>): StsErrorSpec | undefined => {
  if (fault?.type === 'throttle') return stsError(400, 'Throttling', 'Rate exceeded')
  if (fault?.type === 'status' && fault.status === 503) return stsError(503, 'ServiceUnavailable', 'Service unavailable', 'Receiver')
  if (fault?.type === 'status') return stsError(500, 'InternalFailure', 'An internal error occurred', 'Receiver')
  if (fault?.type === 'expiredToken') return stsError(403, 'ExpiredToken', 'The security token included in the request is expired')
  return undefined
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
  const caller = action === 'AssumeRoleWithWebIdentity' ? undefined : await verifySigV4({
    method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body, nowMs, maxSkewMs: state.maxSkewMs, lookup: state.keys.lookup,
  })
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
