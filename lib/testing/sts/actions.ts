import { createHash } from 'node:crypto'
import type { KeyStore } from './keys.js'
import { checkMfa, type MfaDevice } from './mfa.js'
import { stsError, type KnownKey, type StsEmulatorRole } from './types.js'
import { durationSeconds, optionalString, requireString, SERIAL, SESSION_NAME } from './validate.js'
import { isoSeconds } from './xml.js'

/** What the action handlers need from the emulator. */
export type ActionContext = {
  readonly params: Readonly<Record<string, string>>
  /** The signing key; undefined for unsigned requests. */
  readonly caller: KnownKey | undefined
  readonly nowMs: number
  readonly accountId: string
  readonly roles: ReadonlyMap<string, StsEmulatorRole>
  readonly mfaDevices: readonly MfaDevice[]
  readonly usedCodes: Map<string, Set<string>>
  readonly keys: KeyStore
  readonly credentialLifetimeSeconds: number | undefined
  /** The `expiredCredentials` fault: issue credentials that expired a minute ago. */
  readonly issueExpired: boolean
  readonly verifyWebIdentityToken: (token: string) => boolean
}

type Result = Record<string, unknown>

const stableId = (prefix: string, seed: string): string =>
  prefix + createHash('sha256').update(seed).digest('hex').slice(0, 17).toUpperCase()

const issue = (ctx: ActionContext, identity: Pick<KnownKey, 'arn' | 'roleArn' | 'userId'>, seconds: number): Result => {
  const lifetimeMs = (ctx.credentialLifetimeSeconds ?? seconds) * 1000
  const key = ctx.keys.issue(identity, ctx.issueExpired ? ctx.nowMs - 60_000 : ctx.nowMs + lifetimeMs)
  const Expiration = isoSeconds(key.expiresAt ?? ctx.nowMs)
  return {
    AccessKeyId: key.accessKeyId,
    SecretAccessKey: key.secretAccessKey,
    SessionToken: key.sessionToken,
    Expiration,
  }
}

const findRole = (ctx: ActionContext, who: string): StsEmulatorRole => {
  const arn = requireString(ctx.params, 'RoleArn', 20, 2048)
  const role = ctx.roles.get(arn)
  if (!role)
    throw stsError(403, 'AccessDenied', `User: ${who} is not authorized to perform: sts:AssumeRole on resource: ${arn}`)
  return role
}

const assumed = (ctx: ActionContext, role: StsEmulatorRole, session: string, seconds: number): Result => {
  const roleName = role.arn.split('/').pop() ?? 'role'
  const arn = `arn:aws:sts::${ctx.accountId}:assumed-role/${roleName}/${session}`
  const userId = `${stableId('AROA', role.arn)}:${session}`
  return {
    Credentials: issue(ctx, { arn, roleArn: role.arn, userId }, seconds),
    AssumedRoleUser: { AssumedRoleId: userId, Arn: arn },
  }
}

/** STS AssumeRole, signed by the base user or a session of a role allowed to chain. */
export const assumeRole = (ctx: ActionContext, caller: KnownKey): Result => {
  const role = findRole(ctx, caller.arn)
  const principals = role.principals ?? ['*']
  if (!principals.includes('*') && !principals.includes(caller.arn) && !principals.includes(caller.roleArn ?? ''))
    throw stsError(
      403,
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`,
    )
  const session = requireString(ctx.params, 'RoleSessionName', 2, 64, SESSION_NAME)
  const chained = caller.roleArn !== undefined
  const max = chained ? 3600 : (role.maxSessionDurationSeconds ?? 3600)
  const seconds = durationSeconds(ctx.params, 900, max, 3600)
  optionalString(ctx.params, 'ExternalId', 2, 1224, /^[\w+=,.@:/-]*$/)
  const serial = optionalString(ctx.params, 'SerialNumber', 9, 256, SERIAL)
  const code = ctx.params['TokenCode']
  if (role.mfaRequired === true || code !== undefined) checkMfa(ctx.mfaDevices, ctx.usedCodes, serial, code, ctx.nowMs)
  const sourceIdentity = optionalString(ctx.params, 'SourceIdentity', 2, 64)
  const packed = ctx.params['Policy'] !== undefined || Object.keys(ctx.params).some((k) => k.startsWith('Tags.member.'))
  return {
    ...assumed(ctx, role, session, seconds),
    ...(packed ? { PackedPolicySize: 6 } : {}),
    ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
  }
}

/** STS GetSessionToken: IAM users only (session credentials are refused, as on AWS). */
export const getSessionToken = (ctx: ActionContext, caller: KnownKey): Result => {
  if (caller.sessionToken !== undefined)
    throw stsError(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials')
  const seconds = durationSeconds(ctx.params, 900, 129_600, 43_200)
  const serial = optionalString(ctx.params, 'SerialNumber', 9, 256, SERIAL)
  const code = ctx.params['TokenCode']
  if (serial !== undefined || code !== undefined) checkMfa(ctx.mfaDevices, ctx.usedCodes, serial, code, ctx.nowMs)
  return { Credentials: issue(ctx, { arn: caller.arn, userId: caller.userId }, seconds) }
}

/** STS AssumeRoleWithWebIdentity (unsigned). */
export const assumeRoleWithWebIdentity = (ctx: ActionContext): Result => {
  const role = findRole(ctx, 'web identity')
  const session = requireString(ctx.params, 'RoleSessionName', 2, 64, SESSION_NAME)
  const token = requireString(ctx.params, 'WebIdentityToken', 4, 20_000)
  if (!ctx.verifyWebIdentityToken(token))
    throw stsError(
      400,
      'InvalidIdentityToken',
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    )
  const seconds = durationSeconds(ctx.params, 900, role.maxSessionDurationSeconds ?? 3600, 3600)
  const sourceIdentity = optionalString(ctx.params, 'SourceIdentity', 2, 64)
  return {
    ...assumed(ctx, role, session, seconds),
    SubjectFromWebIdentityToken: 'emulator-subject',
    Provider: ctx.params['ProviderId'] ?? 'emulator.invalid',
    Audience: 'emulator-audience',
    ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
  }
}

/** STS GetCallerIdentity: who signed the request. */
export const getCallerIdentity = (ctx: ActionContext, caller: KnownKey): Result => ({
  UserId: caller.userId,
  Account: ctx.accountId,
  Arn: caller.arn,
})
