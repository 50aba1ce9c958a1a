import { createPrivateKey, type KeyObject } from 'node:crypto'
import { invalid } from './options.js'

// PKCS#12 (RFC 7292) object identifiers, DER-encoded (tag, length, value).
const OID_DATA = /* @__PURE__ */ Buffer.from('06092a864886f70d010701', 'hex')
const OID_KEY_BAG = /* @__PURE__ */ Buffer.from('060b2a864886f70d010c0a0101', 'hex')
const OID_SHROUDED_KEY_BAG = /* @__PURE__ */ Buffer.from('060b2a864886f70d010c0a0102', 'hex')

type Tlv = { readonly tag: number; readonly start: number; readonly end: number; readonly whole: Buffer }

const notDer = (): never => {
  throw invalid(
    'pfx is not a DER-encoded PKCS#12 file this library can read; re-export it with `openssl pkcs12 -export`',
  )
}

const readTlv = (b: Buffer, at: number, limit: number): Tlv => {
  if (at + 2 > limit) notDer()
  const tag = b[at]!
  let length = b[at + 1]!
  let start = at + 2
  if (length & 0x80) {
    const n = length & 0x7f
    // n == 0 is BER's indefinite length, which DER (and OpenSSL's output) never uses.
    if (n === 0 || n > 4 || start + n > limit) notDer()
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + b[start + i]!
    start += n
  }
  if (start + length > limit) notDer()
  return { tag, start, end: start + length, whole: b.subarray(at, start + length) }
}

const children = (b: Buffer, t: Tlv): Tlv[] => {
  const list: Tlv[] = []
  for (let at = t.start; at < t.end; at = list[list.length - 1]!.end) list.push(readTlv(b, at, t.end))
  return list
}

/** The content of `[0] EXPLICIT OCTET STRING` of a ContentInfo of type data. */
const dataOf = (b: Buffer, contentInfo: Tlv): Buffer | undefined => {
  const [type, wrapped] = children(b, contentInfo)
  if (!type || !wrapped || !type.whole.equals(OID_DATA)) return undefined
  const octets = children(b, wrapped)[0]
  return octets && octets.tag === 0x04 ? b.subarray(octets.start, octets.end) : undefined
}

/** The key bags of one SafeContents: DER PrivateKeyInfo or EncryptedPrivateKeyInfo. */
const keyBags = (safeContents: Buffer): { der: Buffer; encrypted: boolean }[] =>
  children(safeContents, readTlv(safeContents, 0, safeContents.length)).flatMap((bag) => {
    const [id, value] = children(safeContents, bag)
    if (!id || !value) return []
    const shrouded = id.whole.equals(OID_SHROUDED_KEY_BAG)
    if (!shrouded && !id.whole.equals(OID_KEY_BAG)) return []
    const inner = children(safeContents, value)[0]
    return inner ? [{ der: Buffer.from(inner.whole), encrypted: shrouded }] : []
  })

/**
 * @internal The private key of a PKCS#12 file. OpenSSL (and Windows) put the key as a
 * pkcs8ShroudedKeyBag in an unencrypted data content; node:crypto decrypts that
 * EncryptedPrivateKeyInfo itself. The certificate comes from Node's TLS loader instead.
 */
export const pfxPrivateKey = (pfx: Buffer, passphrase: string | undefined): KeyObject => {
  const top = readTlv(pfx, 0, pfx.length)
  const authSafe = children(pfx, top)[1] ?? notDer()
  const safes = dataOf(pfx, authSafe) ?? notDer()
  const bags = children(safes, readTlv(safes, 0, safes.length)).flatMap((ci) => {
    const content = dataOf(safes, ci)
    return content === undefined ? [] : keyBags(content)
  })
  if (bags.length !== 1)
    throw invalid(
      `pfx must hold exactly one private key outside encrypted content (found ${bags.length}); re-export it with \`openssl pkcs12 -export\``,
    )
  const bag = bags[0]!
  try {
    return bag.encrypted
      ? createPrivateKey({ key: bag.der, format: 'der', type: 'pkcs8', passphrase: passphrase ?? '' })
      : createPrivateKey({ key: bag.der, format: 'der', type: 'pkcs8' })
  } catch (e) {
    throw invalid('the private key in pfx could not be decrypted: wrong or missing passphrase', e)
  }
}
