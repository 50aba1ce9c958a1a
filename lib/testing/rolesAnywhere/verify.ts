import { createHash, createVerify, X509Certificate } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { checkAmzDate, headerValue as header } from '../shared/amzDate.js'

/** An error answer of the service (restJson1: `X-Amzn-Errortype` and `{"message"}`). */
export type RaError = { readonly status: number; readonly type: string; readonly message: string }

export const raError = (status: number, type: string, message: string): RaError => ({ status, type, message })
export const isRaError = (v: unknown): v is RaError =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as RaError).type === 'string' &&
  typeof (v as RaError).status === 'number'

const denied = (message: string): RaError => raError(403, 'AccessDeniedException', message)

const AUTH =
  /^(AWS4-X509-RSA-SHA256|AWS4-X509-ECDSA-SHA256) Credential=(\d+)\/(\d{8})\/([a-z0-9-]+)\/rolesanywhere\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]+)$/

export type ParsedAuth = {
  algorithm: string
  serial: string
  date: string
  region: string
  signedHeaders: string[]
  signature: string
}

export const parseAuthorization = (value: string | undefined): ParsedAuth | undefined => {
  const m = value === undefined ? null : AUTH.exec(value)
  return m
    ? { algorithm: m[1]!, serial: m[2]!, date: m[3]!, region: m[4]!, signedHeaders: m[5]!.split(';'), signature: m[6]! }
    : undefined
}

// RFC 3986 unreserved characters stay; everything else is %XX (SigV4's UriEncode).
const uriEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** The SigV4 canonical request, written here independently of the client's signer. */
const canonicalRequest = (
  method: string,
  url: URL,
  h: IncomingHttpHeaders,
  signed: readonly string[],
  body: Buffer,
): string => {
  const query = [...url.searchParams]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const headers = signed.map((n) => `${n}:${(header(h, n) ?? '').trim().replace(/\s+/g, ' ')}`)
  return [
    method,
    url.pathname,
    query,
    ...headers,
    '',
    signed.join(';'),
    createHash('sha256').update(body).digest('hex'),
  ].join('\n')
}

const parseCert = (b64: string): X509Certificate | undefined => {
  try {
    return new X509Certificate(Buffer.from(b64, 'base64'))
  } catch {
    return undefined
  }
}

const validAt = (c: X509Certificate, ms: number): boolean =>
  Date.parse(c.validFrom) <= ms && ms <= Date.parse(c.validTo)
const signedBy = (c: X509Certificate, issuer: X509Certificate): boolean =>
  c.checkIssued(issuer) && c.verify(issuer.publicKey)

/** Walks from the leaf through the sent intermediates to the anchor's CA, as X.509 path validation does (no revocation). */
const chainsTo = (
  leaf: X509Certificate,
  chain: readonly X509Certificate[],
  anchor: X509Certificate,
  ms: number,
): boolean => {
  let current = leaf
  for (let depth = 0; depth <= chain.length; depth++) {
    if (signedBy(current, anchor)) return validAt(anchor, ms)
    const next = chain.find((c) => c.ca && validAt(c, ms) && signedBy(current, c))
    if (!next) return false
    current = next
  }
  return false
}

export type VerifyInput = {
  readonly method: string
  readonly url: URL
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  readonly nowMs: number
  readonly maxSkewMs: number
  readonly anchor: X509Certificate
}

const checkHeaders = (
  auth: ParsedAuth,
  h: IncomingHttpHeaders,
  nowMs: number,
  maxSkewMs: number,
): RaError | undefined => {
  for (const required of [
    'host',
    'x-amz-date',
    'x-amz-x509',
    ...(h['x-amz-x509-chain'] !== undefined ? ['x-amz-x509-chain'] : []),
  ])
    if (!auth.signedHeaders.includes(required))
      return denied(`Invalid signature: the ${required} header must be signed`)
  const date = header(h, 'x-amz-date') ?? ''
  const refusal = checkAmzDate(date, auth.date, nowMs, maxSkewMs)
  if (refusal === 'date')
    return denied('Invalid signature: X-Amz-Date is missing or does not match the credential scope')
  if (refusal === 'skew') return denied(`Signature expired: ${date} is outside the 5 minute window of the server time`)
  return undefined
}

/** Verifies a CreateSession request: signature by the attached certificate's key, chain to the anchor, validity, clock. */
export const verifyRequest = (i: VerifyInput): { leaf: X509Certificate; auth: ParsedAuth } | RaError => {
  const auth = parseAuthorization(header(i.headers, 'authorization'))
  if (!auth)
    return denied('Missing or malformed Authorization header: expected AWS4-X509-RSA-SHA256 or AWS4-X509-ECDSA-SHA256')
  const leaf = parseCert(header(i.headers, 'x-amz-x509') ?? '')
  if (!leaf)
    return raError(400, 'ValidationException', 'X-Amz-X509 must hold the base64 DER of the signing certificate')
  const chain = (header(i.headers, 'x-amz-x509-chain') ?? '')
    .split(',')
    .filter((s) => s !== '')
    .map(parseCert)
  if (chain.some((c) => c === undefined))
    return raError(400, 'ValidationException', 'X-Amz-X509-Chain must hold base64 DER certificates separated by commas')
  const bad = checkHeaders(auth, i.headers, i.nowMs, i.maxSkewMs)
  if (bad) return bad
  if (BigInt(`0x${leaf.serialNumber}`).toString(10) !== auth.serial)
    return denied("Invalid signature: the credential serial number is not the certificate's")
  const keyType = leaf.publicKey.asymmetricKeyType
  if ((keyType === 'rsa') !== (auth.algorithm === 'AWS4-X509-RSA-SHA256'))
    return denied(`Invalid signature: ${auth.algorithm} does not match the certificate's ${keyType} key`)
  const scope = `${auth.date}/${auth.region}/rolesanywhere/aws4_request`
  const stringToSign = [
    auth.algorithm,
    header(i.headers, 'x-amz-date'),
    scope,
    createHash('sha256')
      .update(canonicalRequest(i.method, i.url, i.headers, auth.signedHeaders, i.body))
      .digest('hex'),
  ].join('\n')
  if (!createVerify('SHA256').update(stringToSign).verify(leaf.publicKey, Buffer.from(auth.signature, 'hex')))
    return denied('Signature validation failed')
  if (!validAt(leaf, i.nowMs)) return denied('Certificate is expired or not yet valid')
  if (!chainsTo(leaf, chain as X509Certificate[], i.anchor, i.nowMs)) return denied('Untrusted signing certificate')
  return { leaf, auth }
}
