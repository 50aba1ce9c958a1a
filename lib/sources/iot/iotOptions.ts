import type * as Net from 'node:net'
import type { CredentialError } from '../../errors.js'
import { loadBuiltin } from '../../internal/loadBuiltin.js'
import { invalidConfiguration, kindOf, MAX_TIMER_MS, requireObject } from '../../internal/validate.js'
import { endpointUrl } from '../x509/endpointUrl.js'

const SOURCE = 'fromIotCertificate'
const ROLE_ALIAS = /^[\w=,@-]{1,128}$/
const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/

/** Where requests go: `host` is what SNI and the certificate check use; `connectHost`/`port` where the socket goes. */
export type IotTarget = {
  readonly host: string
  readonly port: number
  readonly connectHost: string
  readonly connectPort: number
}

/** A configuration error of fromIotCertificate, thrown at construction. */
export const invalid = (message: string, cause?: unknown): CredentialError =>
  invalidConfiguration(SOURCE, message, cause)

/** Parses `host`, `host:port` or `https://host[:port][/]`; the port defaults to 443. */
export const parseEndpoint = (endpoint: string): { host: string; port: number } => {
  const { url, hostname } = endpointUrl(endpoint, invalid)
  if (url.protocol !== 'https:') throw invalid(`endpoint must use https (got ${url.protocol.slice(0, -1)})`)
  return { host: hostname, port: url.port === '' ? 443 : Number(url.port) }
}

/** The target for an endpoint, optionally connecting somewhere else (`connectTo`). */
export const toTarget = (
  endpoint: string,
  connectTo?: { readonly host: string; readonly port?: number },
): IotTarget => {
  if (typeof endpoint !== 'string' || endpoint.length === 0 || endpoint.length > 2048)
    throw invalid(`endpoint must be a host name, host:port or https URL (got ${kindOf(endpoint)})`)
  const { host, port } = parseEndpoint(endpoint)
  if (connectTo !== undefined) {
    requireObject(SOURCE, 'connectTo', connectTo)
    if (typeof connectTo.host !== 'string' || connectTo.host.length === 0)
      throw invalid('connectTo.host must be a non-empty host name or IP')
    const p = connectTo.port
    if (p !== undefined && !(Number.isInteger(p) && p > 0 && p < 65_536))
      throw invalid(`connectTo.port must be a port number (got ${String(p)})`)
  }
  return { host, port, connectHost: connectTo?.host ?? host, connectPort: connectTo?.port ?? port }
}

/** True when `host` is an IP literal, to which no SNI may be sent (RFC 6066). */
export const isIpHost = (host: string): boolean => loadBuiltin<typeof Net>('node:net').isIP(host) !== 0

export type CheckedCommon = {
  readonly roleAlias: string
  readonly thingName: string | undefined
  readonly durationSeconds: number | undefined
  readonly timeoutMs: number
}

/** Validates the options that do not concern key material. */
export const checkCommon = (o: {
  readonly roleAlias?: unknown
  readonly thingName?: unknown
  readonly durationSeconds?: unknown
  readonly timeoutMs?: unknown
}): CheckedCommon => {
  if (typeof o.roleAlias !== 'string' || !ROLE_ALIAS.test(o.roleAlias))
    throw invalid('roleAlias must be 1-128 characters of letters, digits and _=,@- (the IoT role alias name)')
  if (o.thingName !== undefined && (typeof o.thingName !== 'string' || !THING_NAME.test(o.thingName)))
    throw invalid('thingName must be 1-128 characters of letters, digits and :_- (an IoT thing name)')
  const d = o.durationSeconds
  if (d !== undefined && !(typeof d === 'number' && Number.isInteger(d) && d >= 900 && d <= 43_200))
    throw invalid(`durationSeconds must be an integer from 900 to 43200 (got ${String(d)})`)
  const t = o.timeoutMs ?? 10_000
  if (!(typeof t === 'number' && Number.isFinite(t) && t > 0 && t <= MAX_TIMER_MS))
    throw invalid(`timeoutMs must be a positive number of milliseconds up to ${MAX_TIMER_MS} (got ${String(t)})`)
  return { roleAlias: o.roleAlias, thingName: o.thingName, durationSeconds: d, timeoutMs: t }
}
