import { invalidConfiguration, kindOf } from '../../internal/validate.js'
import { isMaterial, type MaterialInput } from './readMaterial.js'

/**
 * A private key in an HSM or smart card, reached through a PKCS#11 module.
 *
 * @category sources
 * @since 0.1.0
 */
export type Pkcs11Settings = {
  /** Path of the PKCS#11 module, e.g. `/usr/lib/softhsm/libsofthsm2.so`. */
  readonly library: string
  /** The token's user PIN; never appears in an error. */
  readonly pin: string
  /** The token to use. @default the only token (or the one at `slotId`) */
  readonly tokenLabel?: string
  /** The slot of the token. @default chosen by `tokenLabel` */
  readonly slotId?: number
  /** Label of the private key object. @default the only private key on the token */
  readonly keyLabel?: string
}

/**
 * @internal Which kind of key the options of `source` give: exactly one of privateKey, pfx
 * and pkcs11, with the certificate each needs (with pfx, a `certificate` only where
 * `certificateWithPfx` says the source takes one). Throws `InvalidConfiguration` naming the option.
 */
export const keyKind = (
  source: string,
  o: {
    certificate?: unknown
    privateKey?: unknown
    pfx?: unknown
    pkcs11?: unknown
    ca?: unknown
    passphrase?: unknown
  },
  certificateWithPfx = false,
): 'pem' | 'pfx' | 'pkcs11' => {
  const given = (['privateKey', 'pfx', 'pkcs11'] as const).filter((k) => o[k] !== undefined)
  if (given.length !== 1)
    throw invalidConfiguration(
      source,
      `give exactly one of privateKey (with certificate), pfx or pkcs11 (with certificate); got ${given.length === 0 ? 'none' : given.join(' and ')}`,
    )
  const kind = given[0] === 'privateKey' ? 'pem' : given[0]!
  if (kind === 'pfx' && o.certificate !== undefined && !certificateWithPfx)
    throw invalidConfiguration(source, 'certificate must not be given with pfx: the PKCS#12 file holds it')
  if ((kind !== 'pfx' || o.certificate !== undefined) && !isMaterial(o.certificate))
    throw invalidConfiguration(source, 'certificate is required: PEM text, a file path or a Buffer')
  if (kind === 'pem' && !isMaterial(o.privateKey))
    throw invalidConfiguration(source, 'privateKey must be PEM text, a file path or a Buffer')
  if (kind === 'pfx' && !isMaterial(o.pfx)) throw invalidConfiguration(source, 'pfx must be a file path or a Buffer')
  if (kind === 'pkcs11') checkPkcs11(source, o.pkcs11)
  if (o.ca !== undefined && !isMaterial(o.ca))
    throw invalidConfiguration(source, `ca must be PEM text, a file path or a Buffer (got ${kindOf(o.ca)})`)
  if (o.passphrase !== undefined && typeof o.passphrase !== 'string')
    throw invalidConfiguration(source, `passphrase must be a string (got ${kindOf(o.passphrase)})`)
  return kind
}

const checkPkcs11 = (source: string, p: unknown): void => {
  const o = (p ?? {}) as Record<string, unknown>
  if (typeof o['library'] !== 'string' || o['library'].length === 0)
    throw invalidConfiguration(source, 'pkcs11.library must be the path of the PKCS#11 module (.so/.dll)')
  if (typeof o['pin'] !== 'string') throw invalidConfiguration(source, 'pkcs11.pin must be a string')
  for (const k of ['tokenLabel', 'keyLabel'])
    if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === ''))
      throw invalidConfiguration(source, `pkcs11.${k} must be a non-empty string when given`)
  const slot = o['slotId']
  if (slot !== undefined && !(typeof slot === 'number' && Number.isInteger(slot) && slot >= 0))
    throw invalidConfiguration(source, 'pkcs11.slotId must be a non-negative integer when given')
}

/**
 * Where an X.509 source finds its private key: `certificate` with `privateKey` (and
 * `passphrase` for an encrypted key), a PKCS#12 `pfx` (and its `passphrase`), or
 * `certificate` with a `pkcs11` key in an HSM. Exactly one of the three.
 *
 * @category sources
 * @since 0.2.0
 */
export type X509KeyOptions =
  | {
      readonly certificate: MaterialInput
      readonly privateKey: MaterialInput
      readonly passphrase?: string
      readonly pfx?: undefined
      readonly pkcs11?: undefined
    }
  | {
      readonly pfx: MaterialInput
      readonly passphrase?: string
      readonly certificate?: undefined
      readonly privateKey?: undefined
      readonly pkcs11?: undefined
    }
  | {
      readonly certificate: MaterialInput
      readonly pkcs11: Pkcs11Settings
      readonly privateKey?: undefined
      readonly pfx?: undefined
      readonly passphrase?: undefined
    }
