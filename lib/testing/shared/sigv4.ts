import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Checksum, SourceData } from '@smithy/types'
import { amzDateMs, checkAmzDate, headerValue } from './amzDate.js'

/** node:crypto SHA-256 / HMAC-SHA-256 in the constructor shape @smithy/signature-v4 expects. */
function NodeSha256(secret?: SourceData): Checksum {
  const h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret))
  return {
    update: (data: Uint8Array | string) => void h.update(data),
    digest: () => Promise.resolve(new Uint8Array(h.digest())),
    reset: () => undefined,
  }
}
const toBytes = (d: SourceData): Uint8Array | string =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength)

type ParsedAuth = {
  accessKeyId: string
  date: string
  region: string
  service: string
  signedHeaders: string[]
  signature: string
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/

/** The fields of a SigV4 `Authorization` header, or undefined when it is not one. */
export const parseAuthorization = (value: string | undefined): ParsedAuth | undefined => {
  const m = value === undefined ? null : AUTH.exec(value)
  if (!m) return undefined
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  }
}

/** A key the verifier can check a signature against. */
export type SigV4Key = {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
}

/**
 * Why a request was refused, in the order checked: no SigV4 `Authorization` header, an
 * unknown key (or a session token that is not the key's), a credential scope other than
 * `scope`, an `X-Amz-Date` missing or outside the scope, a clock skew over `maxSkewMs`, an
 * `x-amz-content-sha256` that is not the body's, a signature that does not match.
 */
export type SigV4Refusal = 'missing' | 'unknownKey' | 'scope' | 'date' | 'skew' | 'bodyHash' | 'signature'

export type VerifyInput<K extends SigV4Key> = {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  readonly nowMs: number
  readonly maxSkewMs: number
  readonly lookup: (accessKeyId: string) => K | undefined
  /** The region (any when undefined) and service the credential scope must name; any when undefined. */
  readonly scope?: { readonly region: string | undefined; readonly service: string }
}

/** The result: the signing key, or the refusal with the scope as the request claimed it. */
export type Verified<K> =
  { readonly key: K } | { readonly refusal: SigV4Refusal; readonly region?: string; readonly service?: string }

/** Checks a request's SigV4 signature by signing it again with @smithy/signature-v4. */
export const verifySigV4 = async <K extends SigV4Key>(input: VerifyInput<K>): Promise<Verified<K>> => {
  const auth = parseAuthorization(headerValue(input.headers, 'authorization'))
  if (!auth) return { refusal: 'missing' }
  const key = input.lookup(auth.accessKeyId)
  if (
    !key ||
    (key.sessionToken !== undefined && headerValue(input.headers, 'x-amz-security-token') !== key.sessionToken)
  )
    return { refusal: 'unknownKey' }
  const { scope } = input
  if (scope && ((scope.region !== undefined && auth.region !== scope.region) || auth.service !== scope.service))
    return { refusal: 'scope', region: auth.region, service: auth.service }
  const amzDate = headerValue(input.headers, 'x-amz-date') ?? ''
  const dateRefusal = checkAmzDate(amzDate, auth.date, input.nowMs, input.maxSkewMs)
  if (dateRefusal) return { refusal: dateRefusal }
  const bodyHash = createHash('sha256').update(input.body).digest('hex')
  const claimed = headerValue(input.headers, 'x-amz-content-sha256')
  if (claimed !== undefined && claimed !== bodyHash) return { refusal: 'bodyHash' }
  const expected = await recompute(input, auth, key, bodyHash, amzDate)
  return timingSafeEqual(Buffer.from(expected.padEnd(64)), Buffer.from(auth.signature))
    ? { key }
    : { refusal: 'signature' }
}

const recompute = async (
  input: VerifyInput<SigV4Key>,
  auth: ParsedAuth,
  key: SigV4Key,
  bodyHash: string,
  amzDate: string,
): Promise<string> => {
  const url = new URL(input.url, 'http://emulator.invalid')
  const headers: Record<string, string> = {}
  for (const name of auth.signedHeaders) headers[name] = headerValue(input.headers, name) ?? ''
  headers['x-amz-content-sha256'] = bodyHash
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials: {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      ...(key.sessionToken === undefined ? {} : { sessionToken: key.sessionToken }),
    },
    sha256: NodeSha256 as unknown as ConstructorParameters<typeof SignatureV4>[0]['sha256'],
  })
  const query: Record<string, string | string[]> = {}
  for (const [k, v] of url.searchParams) query[k] = v
  const signed = await signer.sign(
    {
      method: input.method,
      protocol: 'http:',
      hostname: url.hostname,
      path: url.pathname,
      query,
      headers,
      body: input.body,
    },
    {
      signingDate: new Date(amzDateMs(amzDate)),
      signableHeaders: new Set(auth.signedHeaders),
      unsignableHeaders: new Set(Object.keys(headers).filter((h) => !auth.signedHeaders.includes(h))),
    },
  )
  return parseAuthorization(signed.headers['authorization'])?.signature ?? ''
}
