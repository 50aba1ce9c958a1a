import * as E from 'fp-ts/lib/Either.js'
import { CredentialError } from '../../errors.js'
import { decodeExpiration } from '../decodeCredentials.js'
import { redact } from '../../internal/redact.js'
import type { AwsCredentialIdentity } from '../../types.js'
import { SOURCE } from './options.js'
import type { RawAnswer } from './transport.js'

// Hints for the refusals the CreateSession API reference and the authentication docs describe.
const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/signature/i, "is this machine's clock right (5 min window), and does the private key belong to the certificate?"],
  [/expired|not yet valid|validity/i, 'renew the certificate'],
  [
    /trust anchor|untrusted|chain|issuer/i,
    "the certificate must chain (through intermediates) to the trust anchor's CA",
  ],
  [/duration/i, "durationSeconds must not exceed the profile's durationSeconds"],
  [/role/i, "roleArn must be one of the profile's roles, and the role must trust rolesanywhere.amazonaws.com"],
]

type ErrorBody = { message?: unknown; Message?: unknown; code?: unknown; __type?: unknown }

const parseError = (a: RawAnswer): { type: string; message: string } => {
  let body: ErrorBody = {}
  try {
    body = (JSON.parse(a.body) ?? {}) as ErrorBody
  } catch {
    // not JSON: the type and status still say what happened
  }
  const rawType =
    a.errorType ??
    (typeof body.code === 'string' ? body.code : typeof body.__type === 'string' ? body.__type : 'UnknownError')
  const m = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : ''
  // restJson1 error types may carry a namespace and a `:`-suffix; keep the bare name.
  return { type: redact(rawType.split(':')[0]!.split('#').pop()!), message: m === '' ? 'no message' : redact(m) }
}

/** @internal Maps a non-2xx answer: 429 Throttled, 5xx ServiceUnavailable (retryable), anything else RolesAnywhereRejected. */
export const rejection = (a: RawAnswer): CredentialError => {
  const { type, message } = parseError(a)
  const what = `${a.status} ${type}: ${message}`
  if (a.status === 429 || /Throttl/.test(type))
    return new CredentialError(`${SOURCE}: IAM Roles Anywhere throttled the request (${what})`, {
      code: 'Throttled',
      source: SOURCE,
      retryable: true,
      statusCode: a.status,
    })
  if (a.status >= 500)
    return new CredentialError(`${SOURCE}: IAM Roles Anywhere is unavailable (${what})`, {
      code: 'ServiceUnavailable',
      source: SOURCE,
      retryable: true,
      statusCode: a.status,
    })
  const hint = HINTS.find(([re]) => re.test(message))?.[1]
  return new CredentialError(
    `${SOURCE}: IAM Roles Anywhere refused CreateSession (${what})${hint ? `; ${hint}` : ''}`,
    {
      code: 'RolesAnywhereRejected',
      source: SOURCE,
      statusCode: a.status,
    },
  )
}

const malformed = (status: number, why: string): CredentialError =>
  new CredentialError(`${SOURCE}: IAM Roles Anywhere answered ${status} with ${why}`, {
    code: 'InvalidCredentials',
    source: SOURCE,
    statusCode: status,
  })

const text = (o: Record<string, unknown>, name: string, status: number): string => {
  const v = o[name]
  if (typeof v !== 'string' || v.length === 0) throw malformed(status, `no ${name} string in credentials`)
  return v
}

const accountOf = (set: Record<string, unknown>): string | undefined => {
  const user = set['assumedRoleUser'] as { arn?: unknown } | undefined
  const arn = typeof user?.arn === 'string' ? user.arn : set['roleArn']
  return typeof arn === 'string' ? /^arn:[^:]+:(?:sts|iam)::(\d{12}):/.exec(arn)?.[1] : undefined
}

const firstSet = (body: string, status: number): Record<string, unknown> => {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw malformed(status, 'a body that is not JSON')
  }
  const sets = (parsed as { credentialSet?: unknown } | null)?.credentialSet
  if (!Array.isArray(sets) || sets.length === 0) throw malformed(status, 'no credentialSet entry')
  const set = sets[0] as unknown
  if (set === null || typeof set !== 'object') throw malformed(status, 'a credentialSet entry that is not an object')
  return set as Record<string, unknown>
}

/** @internal Decodes a CreateSession success: the first `credentialSet` entry, unexpired, with `accountId`. */
export const decodeSession = (a: RawAnswer, nowMs: number): AwsCredentialIdentity => {
  const set = firstSet(a.body, a.status)
  const c = set['credentials']
  if (c === null || typeof c !== 'object') throw malformed(a.status, 'no credentials object')
  const raw = c as Record<string, unknown>
  const expirationText = text(raw, 'expiration', a.status)
  const expiration = decodeExpiration(expirationText)
  if (E.isLeft(expiration) || expiration.right === undefined)
    throw malformed(a.status, E.isLeft(expiration) ? expiration.left : 'no expiration')
  if (expiration.right.getTime() <= nowMs)
    throw new CredentialError(
      `${SOURCE}: IAM Roles Anywhere returned credentials that expired at ${expirationText}; is this machine's clock right?`,
      {
        code: 'Expired',
        source: SOURCE,
        statusCode: a.status,
      },
    )
  const accountId = accountOf(set)
  return {
    accessKeyId: text(raw, 'accessKeyId', a.status),
    secretAccessKey: text(raw, 'secretAccessKey', a.status),
    sessionToken: text(raw, 'sessionToken', a.status),
    expiration: expiration.right,
    ...(accountId !== undefined ? { accountId } : {}),
  }
}
