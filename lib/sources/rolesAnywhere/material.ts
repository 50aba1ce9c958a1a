import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { buildSecureContext } from '../x509/buildSecureContext.js'
import { keyKind } from '../x509/keyKind.js'
import { readBinary, readPem, type MaterialInput } from '../x509/readMaterial.js'
import { pfxPrivateKey } from './pkcs12.js'
import { invalid, SOURCE } from './options.js'

/** @internal What signing a CreateSession request needs, read once at construction. */
export type SigningMaterial = {
  readonly algorithm: 'AWS4-X509-RSA-SHA256' | 'AWS4-X509-ECDSA-SHA256'
  /** The leaf certificate's serial number in decimal, as the Credential scope carries it. */
  readonly serial: string
  /** `X-Amz-X509`: base64 of the leaf's DER. */
  readonly certificate: string
  /** `X-Amz-X509-Chain`: each intermediate's base64 DER, comma-separated. */
  readonly chain: string | undefined
  readonly key: KeyObject
}

type KeyOptions = {
  readonly certificate?: MaterialInput | undefined
  readonly privateKey?: MaterialInput | undefined
  readonly passphrase?: string | undefined
  readonly pfx?: MaterialInput | undefined
  readonly intermediates?: MaterialInput | undefined
  readonly pkcs11?: unknown
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

const parseCertificate = (field: string, bytes: Buffer): X509Certificate => {
  try {
    return new X509Certificate(bytes)
  } catch (e) {
    throw invalid(`${field} is not an X.509 certificate (PEM or DER)`, e)
  }
}

const chainOf = (input: MaterialInput | undefined): string | undefined => {
  if (input === undefined) return undefined
  const text = readPem(SOURCE, 'intermediates', input).toString('utf8')
  const blocks = text.match(CERT_BLOCK) ?? []
  if (blocks.length === 0)
    throw invalid('intermediates must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----)')
  return blocks.map((b) => parseCertificate('an intermediates entry', Buffer.from(b)).raw.toString('base64')).join(',')
}

const pemKey = (bytes: Buffer, passphrase: string | undefined): KeyObject => {
  try {
    return createPrivateKey(passphrase === undefined ? { key: bytes } : { key: bytes, passphrase })
  } catch (e) {
    const code = String((e as { code?: unknown }).code ?? '')
    const why =
      /PASSPHRASE|BAD_DECRYPT|DECRYPT/i.test(code) || /passphrase|decrypt/i.test(String((e as Error).message))
        ? 'could not be decrypted: wrong or missing passphrase'
        : 'could not be read; give a PEM private key (PKCS#8, PKCS#1 or SEC1)'
    throw invalid(`privateKey ${why} (${code.slice(0, 60) || 'unknown'})`, e)
  }
}

const algorithmOf = (key: KeyObject): SigningMaterial['algorithm'] => {
  if (key.asymmetricKeyType === 'rsa') return 'AWS4-X509-RSA-SHA256'
  const curve = key.asymmetricKeyDetails?.namedCurve
  if (key.asymmetricKeyType === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1'))
    return 'AWS4-X509-ECDSA-SHA256'
  throw invalid(
    `the private key is ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` (${curve})` : ''}; IAM Roles Anywhere takes RSA or EC P-256/P-384 keys`,
  )
}

/** The leaf certificate of a PKCS#12 file: Node's TLS loader checks the MAC under the passphrase and yields it. */
const pfxCertificate = (pfx: Buffer, passphrase: string | undefined): X509Certificate => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- types SecureContext.context, which @types/node leaves as any
  const context = buildSecureContext(SOURCE, { kind: 'pfx', pfx, passphrase }, undefined) as unknown as {
    context: { getCertificate: () => Buffer | null }
  }
  const der = context.context.getCertificate()
  if (der === null) throw invalid('pfx holds no certificate; give it as certificate')
  return parseCertificate('the certificate in pfx', der)
}

const certificateAndKey = (o: KeyOptions): { cert: X509Certificate; key: KeyObject } => {
  const kind = keyKind(SOURCE, o, true)
  if (kind === 'pkcs11')
    throw invalid('pkcs11 keys are not supported yet by fromRolesAnywhere; use a PEM key, an encrypted PEM key or pfx')
  if (kind === 'pem')
    return {
      cert: parseCertificate('certificate', readPem(SOURCE, 'certificate', o.certificate!)),
      key: pemKey(readPem(SOURCE, 'privateKey', o.privateKey!), o.passphrase),
    }
  const pfx = readBinary(SOURCE, 'pfx', o.pfx!)
  // A given certificate is the one sent (a renewed one for the bundle's key, say); the key check follows.
  const cert =
    o.certificate === undefined
      ? pfxCertificate(pfx, o.passphrase)
      : parseCertificate('certificate', readPem(SOURCE, 'certificate', o.certificate))
  return { cert, key: pfxPrivateKey(pfx, o.passphrase) }
}

/**
 * @internal Reads the certificate, key (PEM, encrypted PEM or PKCS#12, whose certificate a
 * given `certificate` replaces) and intermediates, and checks that the key belongs to the
 * certificate. Never echoes key material.
 */
export const readSigningMaterial = (o: KeyOptions): SigningMaterial => {
  const { cert, key } = certificateAndKey(o)
  const algorithm = algorithmOf(key)
  if (!cert.checkPrivateKey(key))
    throw invalid('the private key does not belong to the certificate (their public keys differ)')
  return {
    algorithm,
    serial: BigInt(`0x${cert.serialNumber}`).toString(10),
    certificate: cert.raw.toString('base64'),
    chain: chainOf(o.intermediates),
    key,
  }
}
