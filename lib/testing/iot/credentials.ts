import { randomBytes, randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { headerValue } from '../shared/amzDate.js'
import type { EmulatorRequestRecord } from '../shared/types.js'
import type { EmulatorFault, QueuedFault } from '../shared/faults.js'
import { errorType, faultMessage } from './faults.js'

/** A role alias as the emulator knows it. */
export type IotRoleAliasState = {
  /** Lifetime of credentials when no duration header is sent. */
  readonly credentialDurationSeconds: number
  /** The role's MaxSessionDuration: a duration header above it is answered 400. */
  readonly maxSessionDurationSeconds: number
  /** false: IoT cannot assume the role (400). */
  readonly assumable: boolean
}

/** A registered device certificate: the things attached to it, the aliases its policy allows. */
export type IotDeviceState = {
  readonly things: ReadonlySet<string>
  readonly roleAliases: ReadonlySet<string> | undefined
}

/**
 * One request the emulator answered (or dropped).
 *
 * @category testing
 * @since 0.1.0
 */
export type IotRecordedRequest = EmulatorRequestRecord & {
  readonly method: string
  readonly roleAlias: string | undefined
  /** `x-amzn-iot-thingname`, if sent. */
  readonly thingName: string | undefined
  /** `x-amzn-iot-credential-duration-seconds`, as sent. */
  readonly durationSeconds: string | undefined
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The SNI host name the client sent, or undefined (an IP literal sends none). */
  readonly servername: string | undefined
  /** SHA-256 fingerprint of the client certificate, or undefined when none was sent. */
  readonly clientCertificateFingerprint: string | undefined
  /** Whether the client certificate chains to the emulator's CA. */
  readonly authorized: boolean
}

export type CredentialsContext = {
  readonly aliases: ReadonlyMap<string, IotRoleAliasState>
  readonly devices: ReadonlyMap<string, IotDeviceState>
  readonly takeFault: (roleAlias: string, except?: EmulatorFault['kind']) => QueuedFault | undefined
  readonly nowMs: () => number
  readonly later: (ms: number, fn: () => void) => void
}

const PATH = /^\/role-aliases\/([^/]+)\/credentials$/

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-RequestId': randomUUID(), ...headers })
  res.end(typeof body === 'string' ? body : JSON.stringify(body))
}

const fail = (res: ServerResponse, status: number, message: string): void =>
  json(res, status, { message }, { 'x-amzn-ErrorType': errorType(status) })

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

const issue = (res: ServerResponse, lifetimeSeconds: number, nowMs: number): void => {
  const credentials = {
    accessKeyId: 'ASIA' + randomBytes(8).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: 'IQoJb3JpZ2luX2Vj' + randomBytes(96).toString('base64'),
    expiration: isoSeconds(nowMs + lifetimeSeconds * 1000),
  }
  json(res, 200, { credentials })
}

/** Records what the emulator saw of a request, before it is answered. */
export const record = (req: IncomingMessage, time: number): IotRecordedRequest => {
  const socket = req.socket as TLSSocket
  const peer = socket.getPeerCertificate?.()
  const alias = PATH.exec((req.url ?? '').split('?')[0] ?? '')?.[1]
  return {
    action: 'AssumeRoleWithCertificate',
    path: (req.url ?? '').split('?')[0] ?? '',
    time,
    method: req.method ?? '',
    roleAlias: alias === undefined ? undefined : decodeURIComponent(alias),
    thingName: headerValue(req.headers, 'x-amzn-iot-thingname'),
    durationSeconds: headerValue(req.headers, 'x-amzn-iot-credential-duration-seconds'),
    headers: { ...req.headers },
    servername: typeof socket.servername === 'string' ? socket.servername : undefined,
    clientCertificateFingerprint: peer && 'fingerprint256' in peer ? peer.fingerprint256 : undefined,
    authorized: socket.authorized === true,
    status: 0,
  }
}

const applyFault = (
  fault: QueuedFault,
  res: ServerResponse,
  ctx: CredentialsContext,
  alias: string,
  then: () => void,
): void => {
  switch (fault.kind) {
    case 'throttle':
      return fail(res, 429, faultMessage(429))
    case 'status':
      return fail(res, fault.status, fault.message ?? faultMessage(fault.status))
    // IoT has no ExpiredToken for a certificate; its nearest answer is this 403.
    case 'expiredToken':
      return fail(res, 403, 'The security token included in the request is expired')
    case 'reset':
      return void res.socket?.destroy()
    case 'malformed':
      return json(res, 200, '{"credentials":{"accessKeyId":')
    case 'expiredCredentials':
      return issue(res, -60, ctx.nowMs())
    // One delay per request, then any other fault.
    case 'delay':
      return ctx.later(fault.ms, () => {
        if (res.destroyed) return
        const next = ctx.takeFault(alias, 'delay')
        return next ? applyFault(next, res, ctx, alias, then) : then()
      })
  }
}

/** Answers `GET /role-aliases/ALIAS/credentials` as IoT would (AWS IoT Core Developer Guide, "Authorizing direct calls to AWS services using AWS IoT Core credential provider"). */
export const answerCredentials = (
  _req: IncomingMessage,
  res: ServerResponse,
  seen: IotRecordedRequest,
  ctx: CredentialsContext,
): void => {
  if (seen.roleAlias === undefined) return fail(res, 404, 'Not Found')
  if (seen.method !== 'GET') return fail(res, 405, 'Method Not Allowed')
  const device =
    seen.authorized && seen.clientCertificateFingerprint !== undefined
      ? ctx.devices.get(seen.clientCertificateFingerprint)
      : undefined
  if (!device) return fail(res, 403, 'Certificate is invalid on this endpoint')
  const fault = ctx.takeFault(seen.roleAlias)
  const answer = (): void => decide(res, seen, device, ctx)
  return fault ? applyFault(fault, res, ctx, seen.roleAlias, answer) : answer()
}

const decide = (
  res: ServerResponse,
  seen: IotRecordedRequest,
  device: IotDeviceState,
  ctx: CredentialsContext,
): void => {
  const alias = ctx.aliases.get(seen.roleAlias ?? '')
  if (!alias) return fail(res, 404, 'Role alias does not exist')
  if (seen.thingName !== undefined && !device.things.has(seen.thingName))
    return fail(res, 403, 'Invalid thing name passed')
  if (device.roleAliases && !device.roleAliases.has(seen.roleAlias ?? '')) return fail(res, 403, 'Access Denied')
  if (!alias.assumable) return fail(res, 400, 'Unable to assume the role, or the role to assume does not exist')
  if (seen.durationSeconds === undefined) return issue(res, alias.credentialDurationSeconds, ctx.nowMs())
  const duration = /^\d{1,9}$/.test(seen.durationSeconds) ? Number(seen.durationSeconds) : Number.NaN
  if (!(duration >= 900 && duration <= 43_200))
    return fail(res, 400, 'The credential duration must be between 900 and 43200 seconds')
  if (duration > alias.maxSessionDurationSeconds)
    return fail(res, 400, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.')
  return issue(res, duration, ctx.nowMs())
}
