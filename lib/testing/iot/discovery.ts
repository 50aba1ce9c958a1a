import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { listenLoopback, type Loopback } from '../shared/listen.js'
import { verifySigV4 } from '../shared/sigv4.js'
import type { EmulatorRequestRecord } from '../shared/types.js'
import { discoveryError } from './discoveryErrors.js'

/**
 * One DescribeEndpoint call the emulator answered.
 *
 * @category testing
 * @since 0.1.0
 */
export type IotRecordedDiscovery = EmulatorRequestRecord & {
  readonly endpointType: string | undefined
}

export type DiscoveryContext = {
  readonly region: string
  readonly prefix: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  readonly nowMs: () => number
  readonly recorded: IotRecordedDiscovery[]
}

const answer = (res: ServerResponse, status: number, body: unknown, errorType?: string, nowMs = Date.now()): void => {
  // SDK clients correct their clock from Date, so it must follow the emulator's clock.
  res.writeHead(status, {
    date: new Date(nowMs).toUTCString(),
    'content-type': 'application/json',
    'x-amzn-RequestId': randomUUID(),
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  })
  res.end(JSON.stringify(body))
}

/** What IoT's DescribeEndpoint returns for each `endpointType`. */
export const endpointAddress = (
  ctx: Pick<DiscoveryContext, 'prefix' | 'region'>,
  type: string | undefined,
): string | undefined => {
  switch (type) {
    case 'iot:CredentialProvider':
      return `${ctx.prefix}.credentials.iot.${ctx.region}.amazonaws.com`
    case 'iot:Data-ATS':
      return `${ctx.prefix}-ats.iot.${ctx.region}.amazonaws.com`
    case undefined:
    case 'iot:Data':
      return `${ctx.prefix}.iot.${ctx.region}.amazonaws.com`
    case 'iot:Jobs':
      return `${ctx.prefix}.jobs.iot.${ctx.region}.amazonaws.com`
    default:
      return undefined
  }
}

const handle = async (req: IncomingMessage, res: ServerResponse, ctx: DiscoveryContext): Promise<void> => {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid')
  const endpointType = url.searchParams.get('endpointType') ?? undefined
  const time = ctx.nowMs()
  const status = (code: number): void =>
    void ctx.recorded.push({ action: 'DescribeEndpoint', path: url.pathname, time, endpointType, status: code })
  if (req.method !== 'GET' || url.pathname !== '/endpoint') {
    status(404)
    return answer(res, 404, { message: 'Not Found' }, 'ResourceNotFoundException', ctx.nowMs())
  }
  const verified = await verifySigV4({
    method: req.method,
    url: req.url ?? '/',
    headers: req.headers,
    body: Buffer.alloc(0),
    nowMs: ctx.nowMs(),
    maxSkewMs: 300_000,
    lookup: (id) => (id === ctx.credentials.accessKeyId ? ctx.credentials : undefined),
    scope: { region: ctx.region, service: 'iot' },
  })
  if ('refusal' in verified) {
    const failure = discoveryError(verified.refusal, verified.region, verified.service)
    status(failure.status)
    return answer(res, failure.status, { message: failure.message }, failure.type, ctx.nowMs())
  }
  const address = endpointAddress(ctx, endpointType)
  status(address ? 200 : 400)
  return address
    ? answer(res, 200, { endpointAddress: address }, undefined, ctx.nowMs())
    : answer(res, 400, { message: `Invalid endpointType ${endpointType}` }, 'InvalidRequestException', ctx.nowMs())
}

/** Starts the plain-HTTP DescribeEndpoint listener on 127.0.0.1 (SigV4 verified, service `iot`). */
export const startDiscoveryServer = async (ctx: DiscoveryContext): Promise<Loopback & { endpoint: string }> => {
  const server = createServer((req, res) => {
    req.resume()
    req.on(
      'end',
      () =>
        void handle(req, res, ctx).catch(() =>
          answer(res, 500, { message: 'emulator failure' }, 'InternalFailureException'),
        ),
    )
  })
  const loopback = await listenLoopback(server)
  return { ...loopback, endpoint: `http://127.0.0.1:${loopback.port}` }
}
