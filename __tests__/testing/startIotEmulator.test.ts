import { DescribeEndpointCommand, IoTClient } from '@aws-sdk/client-iot'
import { existsSync } from 'node:fs'
import { request } from 'node:https'
import { startIotEmulator, type IotDevice, type IotEmulator } from '../../lib/testing/startIotEmulator.js'

let iot: IotEmulator
const NOW = Date.parse('2030-01-01T00:00:00Z')

beforeAll(async () => {
  iot = await startIotEmulator({
    region: 'eu-west-1',
    things: ['pump-7'],
    now: () => NOW,
    roleAliases: {
      'device-role': {},
      'short-role': { credentialDurationSeconds: 2 },
      'long-role': { maxSessionDurationSeconds: 7200 },
    },
  })
})
afterEach(() => iot.reset())
afterAll(() => iot.close())

type Answer = { status: number; headers: Record<string, unknown>; body: string }

/** A raw mutual-TLS GET with its own connection (agent: false). */
const get = (
  path: string,
  headers: Record<string, string> = {},
  device: IotDevice | null = iot.device,
  emulator: IotEmulator = iot,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: emulator.address.port,
        servername: emulator.hostName,
        path,
        headers,
        agent: false,
        ca: emulator.ca,
        ...(device ? { cert: device.certificate, key: device.privateKey } : {}),
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })

const credentialsOf = (a: Answer) => (JSON.parse(a.body) as { credentials: Record<string, string> }).credentials

describe('startIotEmulator', () => {
  it('issues IoT-shaped credentials over mutual TLS, expiring by the injected clock', async () => {
    const a = await get('/role-aliases/device-role/credentials')
    expect(a.status).toBe(200)
    expect(a.headers['content-type']).toBe('application/json')
    expect(credentialsOf(a)).toEqual({
      accessKeyId: expect.stringMatching(/^ASIA[0-9A-F]{16}$/),
      secretAccessKey: expect.any(String),
      sessionToken: expect.any(String),
      expiration: '2030-01-01T01:00:00Z',
    })
  })

  it('honours the duration header up to the role maximum, and allows short alias lifetimes', async () => {
    expect(
      credentialsOf(
        await get('/role-aliases/long-role/credentials', { 'x-amzn-iot-credential-duration-seconds': '7200' }),
      ).expiration,
    ).toBe('2030-01-01T02:00:00Z')
    expect(credentialsOf(await get('/role-aliases/short-role/credentials')).expiration).toBe('2030-01-01T00:00:02Z')
    expect(
      (await get('/role-aliases/device-role/credentials', { 'x-amzn-iot-credential-duration-seconds': '7200' })).status,
    ).toBe(400)
    expect(
      (await get('/role-aliases/device-role/credentials', { 'x-amzn-iot-credential-duration-seconds': '60' })).status,
    ).toBe(400)
  })

  it('answers IoT errors as JSON with x-amzn-ErrorType', async () => {
    const cases: Array<[Promise<Answer>, number, string]> = [
      [get('/role-aliases/nope/credentials'), 404, 'Role alias does not exist'],
      [
        get('/role-aliases/device-role/credentials', { 'x-amzn-iot-thingname': 'other' }),
        403,
        'Invalid thing name passed',
      ],
      [get('/role-aliases/device-role/credentials', {}, null), 403, 'Certificate is invalid on this endpoint'],
      [
        iot.createDevice({ registered: false }).then((d) => get('/role-aliases/device-role/credentials', {}, d)),
        403,
        'Certificate is invalid on this endpoint',
      ],
      [
        iot.createDevice({ foreignCa: true }).then((d) => get('/role-aliases/device-role/credentials', {}, d)),
        403,
        'Certificate is invalid on this endpoint',
      ],
      [
        iot
          .createDevice({ roleAliases: ['long-role'] })
          .then((d) => get('/role-aliases/device-role/credentials', {}, d)),
        403,
        'Access Denied',
      ],
    ]
    for (const [answer, status, message] of cases) {
      const a = await answer
      expect({ status: a.status, body: JSON.parse(a.body) }).toEqual({ status, body: { message } })
      expect(a.headers['x-amzn-errortype']).toEqual(expect.any(String))
      expect(a.headers['x-amzn-requestid']).toEqual(expect.any(String))
    }
  })

  it('records path, headers, SNI, the client certificate fingerprint and the status', async () => {
    await get('/role-aliases/device-role/credentials', {
      'x-amzn-iot-thingname': 'pump-7',
      'x-amzn-iot-credential-duration-seconds': '900',
    })
    expect(iot.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/role-aliases/device-role/credentials',
        roleAlias: 'device-role',
        thingName: 'pump-7',
        durationSeconds: '900',
        servername: iot.hostName,
        clientCertificateFingerprint: iot.device.fingerprint,
        authorized: true,
        status: 200,
      }),
    ])
    expect(iot.stats).toEqual({ connections: 1, tlsHandshakes: 1 })
  })

  it('injects faults for a number of answers, optionally for one alias only', async () => {
    iot.inject({ type: 'status', status: 503, times: 2, roleAlias: 'long-role' })
    iot.inject({ type: 'status', status: 429 })
    expect((await get('/role-aliases/device-role/credentials')).status).toBe(429)
    expect((await get('/role-aliases/device-role/credentials')).status).toBe(200)
    expect((await get('/role-aliases/long-role/credentials')).status).toBe(503)
    expect((await get('/role-aliases/long-role/credentials')).status).toBe(503)
    expect((await get('/role-aliases/long-role/credentials')).status).toBe(200)
  })

  it('injects malformed bodies, expired credentials and resets', async () => {
    iot.inject({ type: 'malformed' })
    iot.inject({ type: 'expired' })
    iot.inject({ type: 'reset' })
    const malformed = await get('/role-aliases/device-role/credentials')
    expect(() => JSON.parse(malformed.body)).toThrow()
    expect(Date.parse(credentialsOf(await get('/role-aliases/device-role/credentials')).expiration!)).toBeLessThan(NOW)
    await expect(get('/role-aliases/device-role/credentials')).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(iot.requests.map((r) => r.status)).toEqual([200, 200, 0])
  })

  it('answers DescribeEndpoint to a real IoTClient signed with the known keys', async () => {
    const client = new IoTClient({
      region: 'eu-west-1',
      endpoint: iot.discovery.endpoint,
      credentials: iot.discovery.credentials,
      systemClockOffset: NOW - Date.now(),
    })
    try {
      const out = await client.send(new DescribeEndpointCommand({ endpointType: 'iot:CredentialProvider' }))
      expect(out.endpointAddress).toBe(iot.hostName)
      expect(iot.hostName).toBe('c2example0abcd.credentials.iot.eu-west-1.amazonaws.com')
      expect((await client.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }))).endpointAddress).toBe(
        'c2example0abcd-ats.iot.eu-west-1.amazonaws.com',
      )
    } finally {
      client.destroy()
    }
  })

  it('refuses DescribeEndpoint signed with other keys or for another region', async () => {
    const base = { endpoint: iot.discovery.endpoint, systemClockOffset: NOW - Date.now(), maxAttempts: 1 }
    const wrongSecret = new IoTClient({
      ...base,
      region: 'eu-west-1',
      credentials: { ...iot.discovery.credentials, secretAccessKey: 'wrong' },
    })
    const wrongRegion = new IoTClient({ ...base, region: 'us-east-1', credentials: iot.discovery.credentials })
    try {
      await expect(
        wrongSecret.send(new DescribeEndpointCommand({ endpointType: 'iot:CredentialProvider' })),
      ).rejects.toMatchObject({ name: 'InvalidSignatureException' })
      await expect(
        wrongRegion.send(new DescribeEndpointCommand({ endpointType: 'iot:CredentialProvider' })),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } })
      expect(iot.discoveryRequests.map((r) => r.status)).toEqual([403, 403])
    } finally {
      wrongSecret.destroy()
      wrongRegion.destroy()
    }
  })
})

describe('startIotEmulator close()', () => {
  it('removes the files it wrote and ends pending delays', async () => {
    const own = await startIotEmulator()
    const files = own.writeFiles(own.device, { passphrase: 'secret' })
    expect(existsSync(files.privateKeyPath)).toBe(true)
    own.inject({ type: 'delay', ms: 60_000 })
    const pending = get('/role-aliases/device-role/credentials', {}, own.device, own).catch(() => undefined)
    await own.close()
    await pending
    expect(existsSync(files.privateKeyPath)).toBe(false)
  })
})
