import { fromIotCertificate, type FromIotCertificateOptions } from '../../lib/sources/fromIotCertificate.js'
import { startIotEmulator, type IotEmulator } from '../../lib/testing/startIotEmulator.js'

let iot: IotEmulator
const sources: Array<{ close: () => void }> = []

beforeAll(async () => {
  iot = await startIotEmulator({ region: 'ap-southeast-2', endpointPrefix: 'a1b2c3d4e5f6g7' })
})
afterEach(() => {
  for (const s of sources.splice(0)) s.close()
  iot.reset()
})
afterAll(() => iot.close())

/** A source without `endpoint`: it discovers the host name through a real IoTClient. */
const discovering = (overrides: Partial<FromIotCertificateOptions> = {}) => {
  const s = fromIotCertificate({
    region: iot.region,
    connectTo: iot.address,
    ca: iot.ca,
    certificate: iot.device.certificate,
    privateKey: iot.device.privateKey,
    roleAlias: 'device-role',
    timeoutMs: 2000,
    discovery: async () => iot.discovery.credentials,
    discoveryClientConfig: { endpoint: iot.discovery.endpoint, maxAttempts: 1 },
    ...overrides,
  } as FromIotCertificateOptions)
  sources.push(s)
  return s
}

describe('fromIotCertificate endpoint discovery', () => {
  it('finds the iot:CredentialProvider endpoint with DescribeEndpoint and uses it as SNI', async () => {
    await expect(discovering()()).resolves.toHaveProperty('accessKeyId')
    expect(iot.discoveryRequests).toEqual([{ endpointType: 'iot:CredentialProvider', status: 200 }])
    expect(iot.requests[0]).toMatchObject({ servername: 'a1b2c3d4e5f6g7.credentials.iot.ap-southeast-2.amazonaws.com', status: 200 })
  })

  it('discovers once per source: concurrent first calls share it and later calls reuse it', async () => {
    const s = discovering()
    await Promise.all([s(), s(), s()])
    await s()
    await s()
    expect(iot.discoveryRequests).toHaveLength(1)
    expect(iot.requests).toHaveLength(5)
  })

  it('does not cache a failed discovery: the next call asks again', async () => {
    let calls = 0
    const s = discovering({
      discovery: async () => (++calls === 1 ? { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'not-the-key' } : iot.discovery.credentials),
    })
    await expect(s()).rejects.toMatchObject({ name: 'CredentialError', code: 'IotRejected', statusCode: 403, message: expect.stringMatching(/DescribeEndpoint/) })
    await expect(s()).resolves.toHaveProperty('accessKeyId')
    await s()
    expect(iot.discoveryRequests.map((r) => r.status)).toEqual([403, 200])
  })

  it('does not contact IoT until the first call', () => {
    discovering()
    expect(iot.discoveryRequests).toHaveLength(0)
  })
})
