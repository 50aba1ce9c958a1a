import type * as Tls from 'node:tls'
import type { SecureContext } from 'node:tls'
import { loadBuiltin } from '../../internal/loadBuiltin.js'
import { invalidConfiguration } from '../../internal/validate.js'

/** @internal Key material read from the options of an X.509 source. */
export type X509KeyMaterial =
  | {
      readonly kind: 'pem'
      readonly certificate: Buffer
      readonly privateKey: Buffer
      readonly passphrase: string | undefined
    }
  | { readonly kind: 'pfx'; readonly pfx: Buffer; readonly passphrase: string | undefined }

const DECRYPT = /BAD_DECRYPT|MAC_VERIFY|mac verify|INTERRUPTED_OR_CANCELLED|BAD_PASSWORD|ERR_OSSL_PKCS12/i

const why = (code: string, kind: X509KeyMaterial['kind']): string =>
  DECRYPT.test(code)
    ? `the ${kind === 'pfx' ? 'PKCS#12 file' : 'private key'} could not be decrypted: wrong or missing passphrase`
    : /KEY_VALUES_MISMATCH/.test(code)
      ? 'the private key does not belong to the certificate'
      : `the ${kind === 'pfx' ? 'PKCS#12 file' : 'certificate or private key'} could not be loaded; is it PEM (or PKCS#12 for pfx)?`

/**
 * @internal Builds the TLS context once per source: the certificate and key (or PKCS#12) and the
 * trusted CAs (`ca` replaces Node's roots, which include Amazon's). Only OpenSSL's error code
 * reaches the message, never key material or the passphrase.
 */
export const buildSecureContext = (
  source: string,
  material: X509KeyMaterial,
  ca: Buffer | undefined,
): SecureContext => {
  try {
    return loadBuiltin<typeof Tls>('node:tls').createSecureContext({
      ...(material.kind === 'pem' ? { cert: material.certificate, key: material.privateKey } : { pfx: material.pfx }),
      ...(material.passphrase !== undefined ? { passphrase: material.passphrase } : {}),
      ...(ca !== undefined ? { ca } : {}),
    })
  } catch (e) {
    // Not `instanceof Error`: errors from node:tls may come from another realm (Jest, vm).
    const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown }
    const reason =
      typeof code === 'string'
        ? code
        : typeof message === 'string'
          ? (message.split(':').pop() ?? '').trim()
          : 'unknown'
    throw invalidConfiguration(source, `${why(reason, material.kind)} (${reason.slice(0, 80)})`, e)
  }
}
