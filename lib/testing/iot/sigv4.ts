import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Checksum, SourceData } from '@smithy/types'

/** node:crypto SHA-256 / HMAC-SHA-256 in the constructor shape @smithy/signature-v4 expects. */
function NodeSha256(secret?: SourceData): Checksum {
  const h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret))
  return { update: (data: Uint8Array | string) => void h.update(data), digest: () => Promise.resolve(new Uint8Array(h.digest())), reset: () => undefined }
}
const toBytes = (d: SourceData): Uint8Array | string =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength)

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name]
  return Array.isArray(v) ? v.join(',') : v
}

const amzDateMs = (v: string): number =>
  Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8), +v.slice(9, 11), +v.slice(11, 13), +v.slice(13, 15))

/** A restJson error the DescribeEndpoint listener answers with. */
export type SigV4Failure = { readonly status: number; readonly type: string; readonly message: string }

export type SigV4Input = {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly nowMs: number
  readonly region: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
}

const fail = (status: number, type: string, message: string): SigV4Failure => ({ status, type, message })

/** Recomputes the request's SigV4 signature (service `iot`, empty body); undefined when it is valid. */
export const verifyIotSigV4 = async (input: SigV4Input): Promise<SigV4Failure | undefined> => {
  const m = AUTH.exec(header(input.headers, 'authorization') ?? '')
  if (!m) return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token')
  const [, accessKeyId, , region, service, signedHeaders, signature] = m as unknown as string[]
  if (accessKeyId !== input.credentials.accessKeyId) return fail(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  if (region !== input.region || service !== 'iot') return fail(403, 'InvalidSignatureException', `Credential should be scoped to a valid region and service iot, not ${region}/${service}.`)
  const amzDate = header(input.headers, 'x-amz-date') ?? ''
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || Math.abs(input.nowMs - amzDateMs(amzDate)) > 300_000)
    return fail(403, 'InvalidSignatureException', 'Signature expired or X-Amz-Date missing.')
  const expected = await recompute(input, signedHeaders!.split(';'), amzDate, region)
  return timingSafeEqual(Buffer.from(expected.padEnd(64)), Buffer.from(signature!))
    ? undefined
    : fail(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.')
}

const recompute = async (input: SigV4Input, signed: string[], amzDate: string, region: string): Promise<string> => {
  const url = new URL(input.url, 'http://emulator.invalid')
  const headers: Record<string, string> = {}
  for (const name of signed) headers[name] = header(input.headers, name) ?? ''
  const signer = new SignatureV4({
    service: 'iot',
    region,
    credentials: input.credentials,
    sha256: NodeSha256 as unknown as ConstructorParameters<typeof SignatureV4>[0]['sha256'],
  })
  const query: Record<string, string> = {}
  for (const [k, v] of url.searchParams) query[k] = v
  const request = { method: input.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query, headers }
  const out = await signer.sign(request, { signingDate: new Date(amzDateMs(amzDate)), signableHeaders: new Set(signed) })
  return AUTH.exec(out.headers['authorization'] ?? '')?.[6] ?? ''
}
