import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { recordingLogger } from '../support/recordingLogger'
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
    expect(iot.discoveryRequests).toMatchObject([
      { action: 'DescribeEndpoint', endpointType: 'iot:CredentialProvider', status: 200 },
    ])
    expect(iot.requests[0]).toMatchObject({
      servername: 'a1b2c3d4e5f6g7.credentials.iot.ap-southeast-2.amazonaws.com',
      status: 200,
    })
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
      discovery: async () =>
        ++calls === 1
          ? { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'not-the-key' }
          : iot.discovery.credentials,
    })
    await expect(s()).rejects.toMatchObject({
      name: 'CredentialError',
      code: 'IotRejected',
      statusCode: 403,
      message: expect.stringMatching(/DescribeEndpoint/),
    })
    await expect(s()).resolves.toHaveProperty('accessKeyId')
    await s()
    expect(iot.discoveryRequests.map((r) => r.status)).toEqual([403, 200])
  })

  it('does not contact IoT until the first call', () => {
    discovering()
    expect(iot.discoveryRequests).toHaveLength(0)
  })
})

describe('fromIotCertificate discovery: region chain, logger and caller config', () => {
  const saved = {
    region: process.env['AWS_REGION'],
    config: process.env['AWS_CONFIG_FILE'],
    profile: process.env['AWS_PROFILE'],
  }
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ars-iot-region-'))
    delete process.env['AWS_REGION']
    delete process.env['AWS_PROFILE']
    process.env['AWS_CONFIG_FILE'] = join(dir, 'config')
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
    for (const [k, v] of [
      ['AWS_REGION', saved.region],
      ['AWS_CONFIG_FILE', saved.config],
      ['AWS_PROFILE', saved.profile],
    ] as const)
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
  })

  it("takes the profile's region from the shared config file, logs through the logger, and sends through the caller's requestHandler", async () => {
    writeFileSync(join(dir, 'config'), `[default]\nregion = ${iot.region}\n`)
    const logger = recordingLogger()
    const inner = new NodeHttpHandler()
    const sent: string[] = []
    const requestHandler = {
      handle: (r: { hostname: string; path: string }, o?: object) => (sent.push(r.path), inner.handle(r as never, o)),
    }
    // @ts-expect-error -- a JavaScript caller's explicit undefined region, which the types refuse
    const s = discovering({ region: undefined, logger })
    try {
      await expect(
        s({ callerClientConfig: { region: async () => '', requestHandler: requestHandler as never } }),
      ).resolves.toHaveProperty('accessKeyId')
    } finally {
      inner.destroy()
    }
    expect(iot.discoveryRequests).toMatchObject([
      { action: 'DescribeEndpoint', endpointType: 'iot:CredentialProvider', status: 200 },
    ])
    expect(sent).toEqual(['/endpoint'])
    expect(logger.at('debug')).toContain(
      `fromIotCertificate: IoT DescribeEndpoint (iot:CredentialProvider) in ${iot.region}`,
    )
    expect(logger.at('warn')).toEqual([])
  })

  it('with no region anywhere, discovers in us-east-1 and warns once', async () => {
    const logger = recordingLogger()
    // @ts-expect-error -- a JavaScript caller's explicit undefined region, which the types refuse
    const s = discovering({ region: undefined, logger })
    await s().catch(() => undefined)
    await s().catch(() => undefined)
    expect(logger.at('warn').filter((l) => l.includes('using us-east-1'))).toHaveLength(1)
  })
})
