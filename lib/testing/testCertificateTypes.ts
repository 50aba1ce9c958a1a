// The shapes of a test CA and what it issues, apart from the code that makes them (which
// loads @peculiar/x509 only when a CA is created).

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
