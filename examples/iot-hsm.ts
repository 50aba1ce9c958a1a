// A device whose private key never leaves an HSM: fromIotCertificate with PKCS#11 (through
// aws-crt), here with a SoftHSM2 token made for the run, against the local IoT emulator.
// Needs softhsm2 (apt-get install softhsm2) and the aws-crt package.
//
//   npx tsx examples/iot-hsm.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromIotCertificate, pipe, withRefresh } from '../lib/index.js'
import { createSoftHsmToken, startIotEmulator } from '../lib/testing/index.js'

const main = async (): Promise<void> => {
  const iot = await startIotEmulator({ things: ['gateway-1'] })
  const dir = mkdtempSync(join(tmpdir(), 'iot-hsm-example-'))
  try {
    // Provisioning: the key goes into the token; on a real device it is generated there.
    const token = await createSoftHsmToken({ dir, pin: '4321', privateKeyPem: iot.device.privateKey })
    process.env['SOFTHSM2_CONF'] = token.env.SOFTHSM2_CONF // before aws-crt loads the module
    const credentials = pipe(
      fromIotCertificate({
        endpoint: iot.hostName,
        connectTo: iot.address, // only because the emulator is on loopback
        ca: iot.ca, // only for the emulator
        certificate: iot.device.certificate, // the certificate is public; the key stays in the token
        pkcs11: { library: token.library, pin: token.pin, tokenLabel: token.tokenLabel, keyLabel: token.keyLabel },
        roleAlias: 'device-role',
        thingName: 'gateway-1',
      }),
      withRefresh(),
    )
    const c = await credentials()
    console.log(`key ...${c.accessKeyId.slice(-4)} from an HSM-held key, expires ${c.expiration?.toISOString()}`)
    const again = await credentials()
    console.log(
      `cached: ${again === c}; IoT saw certificate ${iot.requests[0]?.clientCertificateFingerprint?.slice(0, 23)}...`,
    )
    credentials.close()
  } finally {
    await iot.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
