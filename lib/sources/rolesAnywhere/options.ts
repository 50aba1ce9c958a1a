import type { CredentialError } from '../../errors.js'
import { invalidConfiguration, MAX_TIMER_MS } from '../../internal/validate.js'
import { endpointUrl } from '../x509/endpointUrl.js'

/** @internal The source name every error of fromRolesAnywhere carries. */
export const SOURCE = 'fromRolesAnywhere'

/** @internal A configuration error, thrown at construction before any I/O. */
export const invalid = (message: string, cause?: unknown): CredentialError =>
  invalidConfiguration(SOURCE, message, cause)

// arn:PARTITION:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID (or profile/ID), as the
// IAM Roles Anywhere API reference shows them.
const RA_ARN =
  /^arn:(aws[a-z-]*):rolesanywhere:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):(trust-anchor|profile)\/([\w-]{1,128})$/
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/
// CreateSession's roleSessionName: the pattern of STS role session names.
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1)$/i

/** @internal Where CreateSession goes. */
export type RolesAnywhereTarget = {
  readonly protocol: 'https:' | 'http:'
  readonly hostname: string
  readonly port: number
  readonly host: string
}

/** @internal The checked options that are not key material. */
export type CheckedOptions = {
  readonly trustAnchorArn: string
  readonly profileArn: string
  readonly roleArn: string
  readonly region: string
  readonly target: RolesAnywhereTarget
  readonly durationSeconds: number
  readonly roleSessionName: string | undefined
  readonly timeoutMs: number
}

const arnPart = (
  field: string,
  value: unknown,
  kind: 'trust-anchor' | 'profile',
): { region: string; partition: string } => {
  const m = typeof value === 'string' ? RA_ARN.exec(value) : null
  if (!m || m[4] !== kind)
    throw invalid(`${field} must be an IAM Roles Anywhere ${kind} ARN, arn:aws:rolesanywhere:REGION:ACCOUNT:${kind}/ID`)
  return { partition: m[1]!, region: m[2]! }
}

/** @internal Parses `endpoint`: https always; http only to a loopback host (tests), never a path. */
export const parseTarget = (endpoint: string): RolesAnywhereTarget => {
  const { url, hostname } = endpointUrl(endpoint, invalid)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(hostname)))
    throw invalid(
      `endpoint must use https (http only to a loopback host such as 127.0.0.1; got ${url.protocol.slice(0, -1)})`,
    )
  const protocol = url.protocol
  const port = url.port === '' ? (protocol === 'https:' ? 443 : 80) : Number(url.port)
  return { protocol, hostname, port, host: url.host }
}

const checkNumbers = (o: {
  readonly durationSeconds?: unknown
  readonly timeoutMs?: unknown
}): { durationSeconds: number; timeoutMs: number } => {
  const d = o.durationSeconds ?? 3600
  if (!(typeof d === 'number' && Number.isInteger(d) && d >= 900 && d <= 43_200))
    throw invalid(`durationSeconds must be an integer from 900 to 43200 (got ${String(d)})`)
  const t = o.timeoutMs ?? 10_000
  if (!(typeof t === 'number' && Number.isFinite(t) && t > 0 && t <= MAX_TIMER_MS))
    throw invalid(`timeoutMs must be a positive number of milliseconds up to ${MAX_TIMER_MS} (got ${String(t)})`)
  return { durationSeconds: d, timeoutMs: t }
}

/** @internal Validates every option that is not key material. */
export const checkOptions = (o: {
  readonly trustAnchorArn?: unknown
  readonly profileArn?: unknown
  readonly roleArn?: unknown
  readonly region?: unknown
  readonly endpoint?: unknown
  readonly durationSeconds?: unknown
  readonly roleSessionName?: unknown
  readonly timeoutMs?: unknown
}): CheckedOptions => {
  if (o === null || typeof o !== 'object')
    throw invalid('options must be an object with trustAnchorArn, profileArn, roleArn and certificate')
  const anchor = arnPart('trustAnchorArn', o.trustAnchorArn, 'trust-anchor')
  const profile = arnPart('profileArn', o.profileArn, 'profile')
  if (profile.region !== anchor.region)
    throw invalid(
      `profileArn is in ${profile.region} but trustAnchorArn in ${anchor.region}; both must be in one region`,
    )
  if (typeof o.roleArn !== 'string' || !ROLE_ARN.test(o.roleArn))
    throw invalid('roleArn must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME')
  if (o.region !== undefined && (typeof o.region !== 'string' || !REGION.test(o.region)))
    throw invalid(`region must be a region name such as eu-west-1 (got ${String(o.region)})`)
  if (
    o.roleSessionName !== undefined &&
    (typeof o.roleSessionName !== 'string' || !SESSION_NAME.test(o.roleSessionName))
  )
    throw invalid('roleSessionName must be 2-64 characters of letters, digits and _+=,.@-')
  if (o.endpoint !== undefined && (typeof o.endpoint !== 'string' || o.endpoint === ''))
    throw invalid('endpoint must be a non-empty string when given')
  const region = o.region ?? anchor.region
  const suffix = anchor.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'
  return {
    trustAnchorArn: o.trustAnchorArn as string,
    profileArn: o.profileArn as string,
    roleArn: o.roleArn,
    region,
    target: parseTarget(o.endpoint ?? `https://rolesanywhere.${region}.${suffix}`),
    roleSessionName: o.roleSessionName,
    ...checkNumbers(o),
  }
}
