import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  createTestCertificateAuthority,
  type TestCertificate,
  type TestCertificateAuthority,
} from '../createTestCertificateAuthority.js'
import type { IotDeviceState } from './credentials.js'
import type { IotDevice, IotDeviceFiles, IotDeviceOptions } from './types.js'

/** The emulator's CA and the certificates it has registered (by SHA-256 fingerprint). */
export type Registry = {
  readonly ca: TestCertificateAuthority
  readonly devices: Map<string, IotDeviceState>
  foreign: Promise<TestCertificateAuthority> | undefined
}

/** Issues device certificates, registering them unless asked not to. */
export const deviceFactory =
  (reg: Registry) =>
  async (options: IotDeviceOptions = {}): Promise<IotDevice> => {
    const things = [...(options.things ?? [])]
    const issuer = options.foreignCa
      ? await (reg.foreign ??= createTestCertificateAuthority('Not the emulator CA'))
      : reg.ca
    const cert = await issuer.issue({ commonName: `iot-device-${reg.devices.size + 1}`, usage: 'client' })
    if (options.registered !== false && !options.foreignCa)
      reg.devices.set(cert.fingerprint, {
        things: new Set(things),
        roleAliases: options.roleAliases && new Set(options.roleAliases),
      })
    return { ...cert, things }
  }

/** Writes device files into a temp dir made on first use. */
export const fileWriter =
  (ca: string, dir: () => string) =>
  (device: TestCertificate, options: { readonly passphrase?: string } = {}): IotDeviceFiles => {
    const base = join(dir(), device.fingerprint.replace(/:/g, '').slice(0, 16))
    const files = {
      certificatePath: `${base}-certificate.pem.crt`,
      privateKeyPath: `${base}-private.pem.key`,
      caPath: join(dir(), 'AmazonRootCA-emulator.pem'),
    }
    writeFileSync(files.certificatePath, device.certificate)
    writeFileSync(
      files.privateKeyPath,
      options.passphrase === undefined ? device.privateKey : device.encryptPrivateKey(options.passphrase),
      { mode: 0o600 },
    )
    writeFileSync(files.caPath, ca)
    return files
  }
