import { randomBytes, randomUUID, type X509Certificate } from 'node:crypto'
import { raError, type RaError } from './verify.js'

/** A profile as the emulator holds it. */
export type ProfileState = {
  readonly roleArns: readonly string[]
  readonly durationSeconds: number
  readonly acceptRoleSessionName: boolean
}

export type SessionContext = {
  readonly accountId: string
  readonly trustAnchorArn: string
  readonly profiles: ReadonlyMap<string, ProfileState>
  readonly credentialLifetimeSeconds: number | undefined
  readonly nowMs: number
  readonly expired: boolean
}

const randomId = (prefix: string): string => prefix + randomBytes(10).toString('hex').toUpperCase().slice(0, 16)

type Body = { durationSeconds?: unknown; roleSessionName?: unknown }

const parseBody = (body: Buffer): { ok: Body } | RaError => {
  if (body.length === 0) return { ok: {} }
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? { ok: parsed }
      : raError(400, 'ValidationException', 'The request body must be a JSON object')
  } catch {
    return raError(400, 'ValidationException', 'The request body is not valid JSON')
  }
}

const checkRequest = (
  ctx: SessionContext,
  q: URLSearchParams,
  b: Body,
): { profile: ProfileState; roleArn: string; duration: number } | RaError => {
  const [anchor, profileArn, roleArn] = ['trustAnchorArn', 'profileArn', 'roleArn'].map((k) => q.get(k) ?? undefined)
  if (!anchor || !profileArn || !roleArn)
    return raError(400, 'ValidationException', 'trustAnchorArn, profileArn and roleArn are required')
  if (anchor !== ctx.trustAnchorArn) return raError(404, 'ResourceNotFoundException', 'Trust anchor not found')
  const profile = ctx.profiles.get(profileArn)
  if (!profile) return raError(404, 'ResourceNotFoundException', 'Profile not found')
  const d = b.durationSeconds ?? 3600
  if (!(typeof d === 'number' && Number.isInteger(d) && d >= 900 && d <= 43_200))
    return raError(400, 'ValidationException', 'durationSeconds must be between 900 and 43200')
  if (d > profile.durationSeconds)
    return raError(
      400,
      'ValidationException',
      `durationSeconds ${d} exceeds the profile's duration of ${profile.durationSeconds} seconds`,
    )
  if (!profile.roleArns.includes(roleArn))
    return raError(403, 'AccessDeniedException', `Unable to assume role for ${roleArn}: the role is not in the profile`)
  if (b.roleSessionName !== undefined && !profile.acceptRoleSessionName)
    return raError(403, 'AccessDeniedException', 'Not authorized to set roleSessionName.')
  return { profile, roleArn, duration: d }
}

/** Answers CreateSession for a verified certificate: 201 with one credentialSet entry. */
export const createSession = (
  ctx: SessionContext,
  query: URLSearchParams,
  body: Buffer,
  leaf: X509Certificate,
): Record<string, unknown> | RaError => {
  const parsed = parseBody(body)
  if (!('ok' in parsed)) return parsed
  const b = parsed.ok
  const checked = checkRequest(ctx, query, b)
  if ('type' in checked) return checked
  const sessionName = typeof b.roleSessionName === 'string' ? b.roleSessionName : leaf.serialNumber.toLowerCase()
  const lifetimeMs = (ctx.credentialLifetimeSeconds ?? checked.duration) * 1000
  const expiration = new Date(ctx.expired ? ctx.nowMs - 60_000 : ctx.nowMs + lifetimeMs)
  const roleName = checked.roleArn.split('/').pop()
  const roleId = randomId('AROA')
  return {
    credentialSet: [
      {
        assumedRoleUser: {
          arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${roleName}/${sessionName}`,
          assumedRoleId: `${roleId}:${sessionName}`,
        },
        credentials: {
          accessKeyId: randomId('ASIA'),
          secretAccessKey: randomBytes(30).toString('base64'),
          sessionToken: `IQoJ${randomBytes(96).toString('base64')}`,
          expiration: expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
        packedPolicySize: 0,
        roleArn: checked.roleArn,
        sourceIdentity: leaf.subject.replace(/\n/g, ','),
      },
    ],
    subjectArn: `arn:aws:rolesanywhere:${ctx.trustAnchorArn.split(':')[3]}:${ctx.accountId}:subject/${randomUUID()}`,
  }
}
