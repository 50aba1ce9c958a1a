// An IoT device turns its X.509 certificate into refreshing AWS credentials, against the
// local IoT emulator: endpoint discovery, mutual TLS, withRefresh, and IoT's refusals as
// typed errors.
//
//   npx tsx examples/iot-device.ts
import { fromIotCertificate, isCredentialError, pipe, withRefresh } from '../lib/index.js'
import { startIotEmulator } from '../lib/testing/index.js'

const main = async (): Promise<void> => {
  // Real IoT issues 900-43200 s credentials; the emulator's alias issues 3 s ones for the demo.
  const iot = await startIotEmulator({
    region: 'eu-west-1',
    things: ['pump-7'],
    roleAliases: { 'pump-telemetry': { credentialDurationSeconds: 3 } },
  })
  const files = iot.writeFiles(iot.device) // as on a device: certificate and key files
  try {
    const credentials = pipe(
      fromIotCertificate({
        // No endpoint: discovered once with IoT DescribeEndpoint (iot:CredentialProvider).
        region: iot.region,
        discovery: async () => iot.discovery.credentials,
        discoveryClientConfig: { endpoint: iot.discovery.endpoint },
        connectTo: iot.address, // only because the emulator is on loopback; SNI keeps the IoT name
        ca: files.caPath, // only for the emulator: Amazon's roots ship with Node
        certificate: files.certificatePath,
        privateKey: files.privateKeyPath,
        roleAlias: 'pump-telemetry',
        thingName: 'pump-7',
        timeoutMs: 10_000, // one call's deadline; the first also loads @aws-sdk/client-iot and discovers
      }),
      withRefresh({ earlyMs: 1_500, mandatoryMs: 500 }),
    )
    const first = await credentials()
    console.log(`first key ...${first.accessKeyId.slice(-4)}, expires ${first.expiration?.toISOString()}`)
    await new Promise((r) => setTimeout(r, 2_000)) // past the refresh point: the timer refreshed in the background
    const second = await credentials()
    console.log(`now key ...${second.accessKeyId.slice(-4)}; endpoint ${iot.requests[0]?.servername}`)
    console.log(
      `${iot.requests.length} credential requests, ${iot.discoveryRequests.length} DescribeEndpoint, ${iot.stats.tlsHandshakes} TLS handshake(s)`,
    )
    credentials.close() // stops the timer and closes the source's keep-alive connection
    if (second.accessKeyId === first.accessKeyId) throw new Error('expected a background refresh')

    const wrongThing = fromIotCertificate({
      endpoint: iot.hostName,
      connectTo: iot.address,
      ca: iot.ca,
      certificate: files.certificatePath,
      privateKey: files.privateKeyPath,
      roleAlias: 'pump-telemetry',
      thingName: 'pump-8',
    })
    await wrongThing().catch((e: unknown) => {
      if (!isCredentialError(e, 'IotRejected')) throw e
      console.log(`refused as expected: ${e.code} ${e.statusCode}: ${e.message}`)
    })
    wrongThing.close()
  } finally {
    await iot.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
