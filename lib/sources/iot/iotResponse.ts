import * as E from 'fp-ts/lib/Either.js'
import { CredentialError } from '../../errors.js'
import type { AwsCredentialIdentity } from '../../types.js'
import { decodeExpiration } from '../decodeCredentials.js'
import { isServerStatus, isThrottling } from '../../internal/isTransient.js'
import { redact } from '../../internal/redact.js'
import type { IotRawResponse } from './iotTransport.js'

const SOURCE = 'fromIotCertificate'

const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /certificate is invalid/i,
    'is the certificate registered and ACTIVE in this account and region, and is the endpoint the iot:CredentialProvider one?',
  ],
  [/invalid thing name/i, 'thingName must be a thing attached to this certificate'],
  [/access denied/i, "the certificate's policy must allow iot:AssumeRoleWithCertificate on this role alias"],
  [/role alias does not exist/i, 'check roleAlias and the region'],
  [/unable to assume the role/i, "the role alias's role must exist and trust credentials.iot.amazonaws.com"],
  [/duration/i, "durationSeconds must not exceed the role's MaxSessionDuration"],
]

const iotMessage = (body: string): string => {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message
    if (typeof m === 'string' && m.length > 0) return redact(m)
  } catch {
    // not JSON: fall through to the status text
  }
  return 'no message'
}

/** Maps a non-200 answer to a CredentialError: 429 Throttled, 5xx ServiceUnavailable (both retryable), else IotRejected. */
export const rejection = (r: IotRawResponse): CredentialError => {
  const message = iotMessage(r.body)
  if (isThrottling({ $metadata: { httpStatusCode: r.status } }))
    return new CredentialError(`${SOURCE}: IoT throttled the request (429: ${message})`, {
      code: 'Throttled',
      source: SOURCE,
      retryable: true,
      statusCode: 429,
    })
  if (isServerStatus(r.status))
    return new CredentialError(`${SOURCE}: IoT is unavailable (${r.status}: ${message})`, {
      code: 'ServiceUnavailable',
      source: SOURCE,
      retryable: true,
      statusCode: r.status,
    })
  const hint = HINTS.find(([re]) => re.test(message))?.[1]
  return new CredentialError(
    `${SOURCE}: IoT refused the credentials request (${r.status}: ${message})${hint ? `; ${hint}` : ''}`,
    {
      code: 'IotRejected',
      source: SOURCE,
      statusCode: r.status,
    },
  )
}

const invalidAnswer = (why: string): CredentialError =>
  new CredentialError(`${SOURCE}: IoT answered 200 with ${why}`, {
    code: 'InvalidCredentials',
    source: SOURCE,
    statusCode: 200,
  })

const field = (o: Record<string, unknown>, name: string): string => {
  const v = o[name]
  if (typeof v !== 'string' || v.length === 0) throw invalidAnswer(`no ${name} string in credentials`)
  return v
}

/** Decodes a 200 answer; `expiration` must be an ISO-8601 time with a zone and in the future. */
export const decodeIotCredentials = (body: string, nowMs: number): AwsCredentialIdentity => {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw invalidAnswer('a body that is not JSON')
  }
  const c = (parsed as { credentials?: unknown } | null)?.credentials
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw invalidAnswer('no "credentials" object')
  const raw = c as Record<string, unknown>
  const expirationText = field(raw, 'expiration')
  const expiration = decodeExpiration(expirationText)
  if (E.isLeft(expiration) || expiration.right === undefined)
    throw invalidAnswer(E.isLeft(expiration) ? expiration.left : 'no expiration')
  if (expiration.right.getTime() <= nowMs)
    throw new CredentialError(
      `${SOURCE}: IoT returned credentials that expired at ${expirationText}; is this machine's clock right?`,
      {
        code: 'Expired',
        source: SOURCE,
        statusCode: 200,
      },
    )
  return {
    accessKeyId: field(raw, 'accessKeyId'),
    secretAccessKey: field(raw, 'secretAccessKey'),
    sessionToken: field(raw, 'sessionToken'),
    expiration: expiration.right,
  }
}
