import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Checksum, SourceData } from '@smithy/types'
import { stsError, type KnownKey, type StsErrorSpec } from './types.js'

/** node:crypto SHA-256 / HMAC-SHA-256 in the shape @smithy/signature-v4 expects. */
function NodeSha256(secret?: SourceData): Checksum {
  const h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret))
  return {
    update: (data: Uint8Array | string) => void h.update(data),
    digest: () => Promise.resolve(new Uint8Array(h.digest())),
    reset: () => undefined,
  }
}
const toBytes = (d: SourceData): Uint8Array | string =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength)

type ParsedAuth = { accessKeyId: string; date: string; region: string; service: string; signedHeaders: string[]; signature: string }

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/

/** The fields of a SigV4 `Authorization` header, or undefined when it is not one. */
export const parseAuthorization = (value: string | undefined): ParsedAuth | undefined => {
  const m = value === undefined ? null : AUTH.exec(value)
  if (!m) return undefined
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]!, signedHeaders: m[5]!.split(';'), signature: m[6]! }
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name]
  return Array.isArray(v) ? v.join(',') : v
}

/** `20260115T120000Z` to epoch ms. */
const amzDateMs = (v: string): number =>
  Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8), +v.slice(9, 11), +v.slice(11, 13), +v.slice(13, 15))

export type VerifyInput = {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  readonly nowMs: number
  readonly maxSkewMs: number
  readonly lookup: (accessKeyId: string) => KnownKey | undefined
}

/** Checks the request's SigV4 signature; returns the signing key or the STS error to answer. */
export const verifySigV4 = async (input: VerifyInput): Promise<KnownKey | StsErrorSpec> => {
  const auth = parseAuthorization(header(input.headers, 'authorization'))
  if (!auth) return stsError(400, 'IncompleteSignature', 'Authorization header requires a valid AWS4-HMAC-SHA256 signature.')
  const key = input.lookup(auth.accessKeyId)
  if (!key) return stsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
  if (key.sessionToken !== undefined && header(input.headers, 'x-amz-security-token') !== key.sessionToken)
    return stsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
  const amzDate = header(input.headers, 'x-amz-date') ?? ''
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(auth.date))
    return stsError(403, 'SignatureDoesNotMatch', 'X-Amz-Date is missing or does not match the credential scope.')
  if (Math.abs(input.nowMs - amzDateMs(amzDate)) > input.maxSkewMs)
    return stsError(403, 'SignatureDoesNotMatch', `Signature expired: ${amzDate} is now earlier or later than the server time allows (5 min).`)
  const bodyHash = createHash('sha256').update(input.body).digest('hex')
  const claimed = header(input.headers, 'x-amz-content-sha256')
  if (claimed !== undefined && claimed !== bodyHash)
    return stsError(400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.')
  const expected = await recompute(input, auth, key, bodyHash)
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature)))
    return stsError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.')
  if (key.expiresAt !== undefined && key.expiresAt <= input.nowMs)
    return stsError(403, 'ExpiredToken', 'The security token included in the request is expired')
  return key
}

const recompute = async (input: VerifyInput, auth: ParsedAuth, key: KnownKey, bodyHash: string): Promise<string> => {
  const url = new URL(input.url, 'http://emulator.invalid')
  const headers: Record<string, string> = {}
  for (const name of auth.signedHeaders) headers[name] = header(input.headers, name) ?? ''
  headers['x-amz-content-sha256'] = bodyHash
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, ...(key.sessionToken !== undefined && { sessionToken: key.sessionToken }) },
    sha256: NodeSha256 as unknown as ConstructorParameters<typeof SignatureV4>[0]['sha256'],
  })
  const query: Record<string, string | string[]> = {}
  for (const [k, v] of url.searchParams) query[k] = v
  const signed = await signer.sign(
    { method: input.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query, headers, body: input.body },
    {
      signingDate: new Date(amzDateMs(header(input.headers, 'x-amz-date') ?? '')),
      signableHeaders: new Set(auth.signedHeaders),
      unsignableHeaders: new Set(Object.keys(headers).filter((h) => !auth.signedHeaders.includes(h))),
    },
  )
  return parseAuthorization(signed.headers['authorization'])?.signature ?? ''
}
