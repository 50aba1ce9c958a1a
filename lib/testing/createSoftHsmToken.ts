import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Where Debian's `softhsm2` package puts the PKCS#11 module. */
export const SOFTHSM2_LIBRARY = '/usr/lib/softhsm/libsofthsm2.so'

/**
 * Options of {@link createSoftHsmToken}.
 *
 * @category testing
 * @since 0.1.0
 */
export type CreateSoftHsmTokenOptions = {
  /** A directory the caller owns (and removes); the token store and config go in it. */
  readonly dir: string
  /** The user PIN (4-255 characters). */
  readonly pin: string
  /** The private key to import, PKCS#8 PEM (unencrypted). */
  readonly privateKeyPem: string
  /** @default 'iot-test-token' */
  readonly label?: string
  /** @default 'iot-device-key' */
  readonly keyLabel?: string
  /** The PKCS#11 module. @default '/usr/lib/softhsm/libsofthsm2.so' */
  readonly library?: string
}

/**
 * What {@link createSoftHsmToken} made: everything `fromIotCertificate`'s `pkcs11` needs,
 * and `env` to put into `process.env` before aws-crt loads the module.
 *
 * @category testing
 * @since 0.1.0
 */
export type SoftHsmToken = {
  readonly library: string
  readonly pin: string
  readonly tokenLabel: string
  readonly keyLabel: string
  readonly env: { readonly SOFTHSM2_CONF: string }
}

/**
 * Creates a SoftHSM2 token in `dir` holding `privateKeyPem` (with `softhsm2-util
 * --init-token` and `--import`), for tests of PKCS#11 keys. Needs the `softhsm2` package
 * (Debian/Ubuntu: `apt-get install softhsm2`). SoftHSM reads `SOFTHSM2_CONF` when the
 * module is initialised, so set `process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF`
 * before the first PKCS#11 use in the process; one config per process.
 *
 * @throws Error when softhsm2-util is missing or refuses the key (a test helper, not a source).
 * @example
 * ```ts
 * const token = await createSoftHsmToken({ dir, pin: '1234', privateKeyPem: device.privateKey })
 * process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF
 * fromIotCertificate({ endpoint, roleAlias, certificate: device.certificate, pkcs11: token })
 * ```
 * @category testing
 * @since 0.1.0
 */
export const createSoftHsmToken = async (options: CreateSoftHsmTokenOptions): Promise<SoftHsmToken> => {
  const library = options.library ?? SOFTHSM2_LIBRARY
  if (!existsSync(library))
    throw new Error(`createSoftHsmToken: ${library} not found; install softhsm2 (apt-get install softhsm2)`)
  const label = options.label ?? 'iot-test-token'
  const keyLabel = options.keyLabel ?? 'iot-device-key'
  const tokens = join(options.dir, 'tokens')
  mkdirSync(tokens, { recursive: true })
  const conf = join(options.dir, 'softhsm2.conf')
  writeFileSync(
    conf,
    `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  )
  const keyFile = join(options.dir, 'key.pk8.pem')
  writeFileSync(keyFile, options.privateKeyPem, { mode: 0o600 })
  const env = { ...process.env, SOFTHSM2_CONF: conf }
  await run(
    'softhsm2-util',
    ['--init-token', '--free', '--label', label, '--so-pin', `so-${options.pin}`, '--pin', options.pin],
    { env },
  )
  await run(
    'softhsm2-util',
    ['--import', keyFile, '--token', label, '--label', keyLabel, '--id', '01', '--pin', options.pin],
    { env },
  )
  return { library, pin: options.pin, tokenLabel: label, keyLabel, env: { SOFTHSM2_CONF: conf } }
}
