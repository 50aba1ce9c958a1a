import { withRefresh } from '../../lib/refresh/withRefresh.js'
import { fromIotCertificate } from '../../lib/sources/fromIotCertificate.js'
import { startIotEmulator, type IotEmulator } from '../../lib/testing/startIotEmulator.js'
import { iotDeviceOptions } from '../support/emulatorSources.js'

let iot: IotEmulator
let clock = Date.now()
const now = (): number => clock

beforeAll(async () => {
  iot = await startIotEmulator({ now, roleAliases: { 'device-role': { credentialDurationSeconds: 900 } } })
})
afterAll(() => iot.close())

describe('fromIotCertificate behind withRefresh', () => {
  it('refreshes IoT credentials over one TLS connection, and close() releases it', async () => {
    const source = fromIotCertificate({
      ...iotDeviceOptions(iot),
      now,
      timeoutMs: 2000,
    })
    const credentials = withRefresh({ earlyMs: 300_000, mandatoryMs: 60_000, jitter: 0, background: false, now })(
      source,
    )
    const seen = new Set<string>()
    for (let i = 0; i < 4; i++) {
      const [a, b] = await Promise.all([credentials(), credentials()])
      expect(b).toBe(a)
      seen.add(a.accessKeyId)
      clock += 850_000 // inside the mandatory window of 900 s credentials: the next call waits for a refresh
    }
    expect(seen.size).toBe(4)
    expect(iot.requests).toHaveLength(4)
    expect(iot.stats.tlsHandshakes).toBe(1)
    credentials.close()
    await credentials()
    expect(iot.stats.tlsHandshakes).toBe(2)
    source.close()
  })
})
