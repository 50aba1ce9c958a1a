import { createHash, createSign } from 'node:crypto'
import { getCanonicalHeaders, getCanonicalQuery } from '@smithy/signature-v4'
import type { SigningMaterial } from './material.js'

/** @internal What one CreateSession request consists of before signing. */
export type UnsignedRequest = {
  readonly host: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly body: string
  readonly region: string
  readonly nowMs: number
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex')

/** `YYYYMMDDTHHMMSSZ`, the form of `X-Amz-Date`. */
export const amzDate = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

/**
 * @internal Signs a CreateSession request as "IAM Roles Anywhere authentication signing
 * process" (AWS docs) describes: SigV4's canonical request (smithy's canonical query and
 * headers), every header signed except Authorization and User-Agent, and the string to sign
 * signed by the certificate's private key with SHA-256: RSA PKCS#1 v1.5, or ECDSA as ASN.1
 * DER (node's default encoding for EC keys). The Credential is the serial in decimal.
 * Returns every header to send, Authorization included.
 */
export const signRequest = (m: SigningMaterial, r: UnsignedRequest): Record<string, string> => {
  const date = amzDate(r.nowMs)
  const headers: Record<string, string> = {
    host: r.host,
    'content-type': 'application/json',
    'x-amz-date': date,
    'x-amz-x509': m.certificate,
    ...(m.chain !== undefined ? { 'x-amz-x509-chain': m.chain } : {}),
  }
  const canonicalHeaders = getCanonicalHeaders({ headers } as Parameters<typeof getCanonicalHeaders>[0])
  const names = Object.keys(canonicalHeaders).sort()
  const signedHeaders = names.join(';')
  const canonicalRequest = [
    'POST',
    r.path,
    getCanonicalQuery({ query: r.query } as unknown as Parameters<typeof getCanonicalQuery>[0]),
    ...names.map((n) => `${n}:${canonicalHeaders[n]}`),
    '',
    signedHeaders,
    sha256Hex(r.body),
  ].join('\n')
  const scope = `${date.slice(0, 8)}/${r.region}/rolesanywhere/aws4_request`
  const stringToSign = [m.algorithm, date, scope, sha256Hex(canonicalRequest)].join('\n')
  const signature = createSign('SHA256').update(stringToSign, 'utf8').sign(m.key).toString('hex')
  return {
    ...headers,
    authorization: `${m.algorithm} Credential=${m.serial}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  }
}
