// @peculiar/x509 needs the Reflect metadata polyfill loaded before it.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { execFileSync } from 'node:child_process'
import { KeyObject, X509Certificate, createPrivateKey, webcrypto } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A certificate and its private key, both PEM, as a test CA issues them.
 *
 * @category testing
 * @since 0.1.0
 */
export type TestCertificate = {
  /** The certificate, PEM. */
  readonly certificate: string
  /** The unencrypted PKCS#8 private key, PEM. */
  readonly privateKey: string
  /** SHA-256 fingerprint, upper-case hex with colons (as `socket.getPeerCertificate()` shows it). */
  readonly fingerprint: string
  /** The private key as encrypted PKCS#8 PEM (AES-256-CBC) under `passphrase`. */
  readonly encryptPrivateKey: (passphrase: string) => string
  /** Certificate, key and `chain` as PKCS#12 bytes under `passphrase` (uses the `openssl` CLI). */
  readonly toPfx: (passphrase: string, chain?: string) => Buffer
}

/**
 * What a test CA issues: a leaf for a TLS server or a TLS client.
 *
 * @category testing
 * @since 0.1.0
 */
export type IssueCertificateOptions = {
  readonly commonName: string
  /** `'server'` adds serverAuth, `'client'` clientAuth. */
  readonly usage: 'server' | 'client'
  readonly dnsNames?: readonly string[]
  readonly ipAddresses?: readonly string[]
  /** @default 1 day after now */
  readonly notAfter?: Date
  /** @default 1 minute before now (or a day before `notAfter`, when that is earlier) */
  readonly notBefore?: Date
  /** The leaf's key: ECDSA P-256, ECDSA P-384 or RSA 2048 (PKCS#1 v1.5). @default 'ec-p256' */
  readonly keyType?: TestKeyType
}

/**
 * The key types a test CA issues leaves for.
 *
 * @category testing
 * @since 0.2.0
 */
export type TestKeyType = 'ec-p256' | 'ec-p384' | 'rsa'

/**
 * A throw-away certificate authority held in memory.
 *
 * @category testing
 * @since 0.1.0
 */
export type TestCertificateAuthority = {
  /** The CA certificate, PEM: what a peer puts in `ca` to trust this CA. */
  readonly certificate: string
  readonly issue: (options: IssueCertificateOptions) => Promise<TestCertificate>
  /** An intermediate CA (ECDSA P-256) signed by this one, valid as long; its `certificate` is what a chain holds. @since 0.2.0 */
  readonly createIntermediate: (commonName: string) => Promise<TestCertificateAuthority>
}

type X509Crypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>
type CryptoKeyPair = webcrypto.CryptoKeyPair
type CryptoKey = webcrypto.CryptoKey

const crypto = webcrypto as unknown as X509Crypto
const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000

const KEY_ALGORITHMS = {
  'ec-p256': ecdsa,
  'ec-p384': { name: 'ECDSA', namedCurve: 'P-384' },
  rsa: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
} as const

const generateKeys = (type: TestKeyType = 'ec-p256'): Promise<CryptoKeyPair> =>
  webcrypto.subtle.generateKey(KEY_ALGORITHMS[type], true, ['sign', 'verify']) as Promise<CryptoKeyPair>

const keyPem = (key: CryptoKey): string =>
  KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString()

const toPfx = (certificate: string, privateKey: string, passphrase: string, chain?: string): Buffer => {
  const dir = mkdtempSync(join(tmpdir(), 'iot-pfx-'))
  try {
    writeFileSync(join(dir, 'cert.pem'), certificate + (chain ?? ''))
    writeFileSync(join(dir, 'key.pem'), privateKey, { mode: 0o600 })
    execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'cert.pem'), '-inkey', join(dir, 'key.pem'),
      '-out', join(dir, 'out.p12'), '-passout', 'env:PFX_PASSPHRASE'], {
      env: { ...process.env, PFX_PASSPHRASE: passphrase }, stdio: ['ignore', 'ignore', 'pipe'] })
    return readFileSync(join(dir, 'out.p12'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const testCertificate = (cert: x509.X509Certificate, privateKey: string): TestCertificate => {
  const certificate = cert.toString('pem') + '\n'
  return {
    certificate,
    privateKey,
    fingerprint: new X509Certificate(certificate).fingerprint256,
    encryptPrivateKey: (passphrase) =>
      createPrivateKey(privateKey).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString(),
    toPfx: (passphrase, chain) => toPfx(certificate, privateKey, passphrase, chain),
  }
}

const altNames = (options: IssueCertificateOptions): x509.Extension[] => {
  const names = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ]
  return names.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(names)]
}

const issueWith = (caCert: x509.X509Certificate, caKeys: CryptoKeyPair) =>
  async (options: IssueCertificateOptions): Promise<TestCertificate> => {
    const keys = await generateKeys(options.keyType)
    const usage = options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth
    const notAfter = options.notAfter ?? new Date(Date.now() + DAY_MS)
    const cert = await x509.X509CertificateGenerator.create({
      subject: `CN=${options.commonName}`,
      issuer: caCert.subject,
      notBefore: options.notBefore ?? new Date(Math.min(Date.now() - 60_000, notAfter.getTime() - DAY_MS)),
      notAfter,
      signingAlgorithm: ecdsa,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
        ...altNames(options),
      ],
    }, crypto)
    return testCertificate(cert, keyPem(keys.privateKey))
  }

/**
 * Creates an in-memory ECDSA P-256 certificate authority valid for one day, to issue
 * test server and device certificates. Nothing is written to disk; nothing expiring
 * needs to be committed. Generation takes a few milliseconds.
 *
 * @example
 * ```ts
 * const ca = await createTestCertificateAuthority('Other CA')
 * const stranger = await ca.issue({ commonName: 'device', usage: 'client' })
 * ```
 * @category testing
 * @since 0.1.0
 */
export const createTestCertificateAuthority = async (commonName = 'aws-refresh-session test CA'): Promise<TestCertificateAuthority> => {
  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${commonName}`,
    keys,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + DAY_MS),
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
    ],
  }, crypto)
  return authority(cert, keys)
}

const authority = (cert: x509.X509Certificate, keys: CryptoKeyPair): TestCertificateAuthority => ({
  certificate: cert.toString('pem') + '\n',
  issue: issueWith(cert, keys),
  createIntermediate: (commonName) => intermediateOf(cert, keys, commonName),
})

const intermediateOf = async (caCert: x509.X509Certificate, caKeys: CryptoKeyPair, commonName: string): Promise<TestCertificateAuthority> => {
  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${commonName}`,
    issuer: caCert.subject,
    notBefore: caCert.notBefore,
    notAfter: caCert.notAfter,
    signingAlgorithm: ecdsa,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
    ],
  }, crypto)
  return authority(cert, keys)
}
