// @peculiar/x509 needs the Reflect metadata polyfill loaded before it: createTestCertificateAuthority
// loads reflect-metadata first (an explicit load, which no bundler drops as a side-effect import).
import * as x509 from '@peculiar/x509'
import { execFileSync } from 'node:child_process'
import { KeyObject, X509Certificate, createPrivateKey, webcrypto } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type {
  IssueCertificateOptions,
  TestCertificate,
  TestCertificateAuthority,
  TestKeyType,
} from '../testCertificateTypes.js'

type X509Crypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>
type CryptoKeyPair = webcrypto.CryptoKeyPair
type CryptoKey = webcrypto.CryptoKey

// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- X509Crypto is computed from @peculiar/x509 signature, which typescript-eslint does not resolve
const crypto = webcrypto as unknown as X509Crypto
const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000

const KEY_ALGORITHMS = {
  'ec-p256': ecdsa,
  'ec-p384': { name: 'ECDSA', namedCurve: 'P-384' },
  rsa: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
} as const

const generateKeys = (type: TestKeyType = 'ec-p256'): Promise<CryptoKeyPair> =>
  webcrypto.subtle.generateKey(KEY_ALGORITHMS[type], true, ['sign', 'verify'])

const keyPem = (key: CryptoKey): string => KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString()

const toPfx = (certificate: string, privateKey: string, passphrase: string, chain?: string): Buffer => {
  const dir = mkdtempSync(join(tmpdir(), 'iot-pfx-'))
  try {
    writeFileSync(join(dir, 'cert.pem'), certificate + (chain ?? ''))
    writeFileSync(join(dir, 'key.pem'), privateKey, { mode: 0o600 })
    execFileSync(
      'openssl',
      [
        'pkcs12',
        '-export',
        '-in',
        join(dir, 'cert.pem'),
        '-inkey',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'out.p12'),
        '-passout',
        'env:PFX_PASSPHRASE',
      ],
      {
        env: { ...process.env, PFX_PASSPHRASE: passphrase },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
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
      createPrivateKey(privateKey)
        .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
        .toString(),
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

const issueWith =
  (caCert: x509.X509Certificate, caKeys: CryptoKeyPair) =>
  async (options: IssueCertificateOptions): Promise<TestCertificate> => {
    const keys = await generateKeys(options.keyType)
    const usage = options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth
    const notAfter = options.notAfter ?? new Date(Date.now() + DAY_MS)
    const cert = await x509.X509CertificateGenerator.create(
      {
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
      },
      crypto,
    )
    return testCertificate(cert, keyPem(keys.privateKey))
  }

/** The implementation of createTestCertificateAuthority, with @peculiar/x509 (reflect-metadata loaded before). */
export const createCertificateAuthority = async (commonName: string): Promise<TestCertificateAuthority> => {
  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
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
    },
    crypto,
  )
  return authority(cert, keys)
}

const authority = (cert: x509.X509Certificate, keys: CryptoKeyPair): TestCertificateAuthority => ({
  certificate: cert.toString('pem') + '\n',
  issue: issueWith(cert, keys),
  createIntermediate: (commonName) => intermediateOf(cert, keys, commonName),
})

const intermediateOf = async (
  caCert: x509.X509Certificate,
  caKeys: CryptoKeyPair,
  commonName: string,
): Promise<TestCertificateAuthority> => {
  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.create(
    {
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
    },
    crypto,
  )
  return authority(cert, keys)
}
