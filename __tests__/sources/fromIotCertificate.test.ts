import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromIotCertificate, type FromIotCertificateOptions } from '../../lib/sources/fromIotCertificate.js'
import { startIotEmulator, type IotEmulator } from '../../lib/testing/startIotEmulator.js'
import { iotDeviceOptions } from '../support/emulatorSources.js'
import { hasSystemPackage, itWithPackage } from '../support/systemPackages.js'

let iot: IotEmulator
const sources: Array<{ close: () => void }> = []

beforeAll(async () => {
  iot = await startIotEmulator({
    things: ['pump-7'],
    roleAliases: { 'device-role': {}, 'long-role': { maxSessionDurationSeconds: 7200 } },
  })
})
afterEach(() => {
  for (const s of sources.splice(0)) s.close()
  iot.reset()
})
afterAll(() => iot.close())

/** A source against the emulator, reached by its IoT host name (SNI) through connectTo. */
const source = (overrides: Partial<FromIotCertificateOptions> = {}) => {
  const s = fromIotCertificate({
    ...iotDeviceOptions(iot),
    timeoutMs: 2000,
    ...overrides,
  } as FromIotCertificateOptions)
  sources.push(s)
  return s
}

const last = () => iot.requests[iot.requests.length - 1]!

describe('fromIotCertificate', () => {
  it('returns the credentials IoT issues, with expiration as a Date', async () => {
    const c = await source()()
    expect(c).toEqual({
      accessKeyId: expect.stringMatching(/^ASIA/),
      secretAccessKey: expect.any(String),
      sessionToken: expect.any(String),
      expiration: expect.any(Date),
    })
    expect(c.expiration!.getTime()).toBeGreaterThan(Date.now() + 3500_000)
    expect(last()).toMatchObject({ method: 'GET', path: '/role-aliases/device-role/credentials', status: 200 })
  })

  it('sends the thing name and duration headers when asked, and neither otherwise', async () => {
    await source()()
    expect(last().thingName).toBeUndefined()
    expect(last().durationSeconds).toBeUndefined()
    const c = await source({ thingName: 'pump-7', durationSeconds: 7200, roleAlias: 'long-role' })()
    expect(last()).toMatchObject({ thingName: 'pump-7', durationSeconds: '7200' })
    expect(c.expiration!.getTime()).toBeGreaterThan(Date.now() + 7100_000)
  })

  it('sends the endpoint host name as SNI and host header, also when connecting to an IP', async () => {
    await source()()
    expect(last().servername).toBe(iot.hostName)
    expect(last().headers['host']).toBe(iot.hostName) // the endpoint's port is 443; connectTo only moves the socket
    expect(last().clientCertificateFingerprint).toBe(iot.device.fingerprint)
  })

  it('sends no SNI to an IP-literal endpoint and checks the certificate against the IP', async () => {
    // @ts-expect-error -- a JavaScript caller's explicit undefined, which the types refuse
    await source({ endpoint: iot.endpoint, connectTo: undefined })()
    expect(last().servername).toBeUndefined()
    expect(last().status).toBe(200)
  })

  it('checks the certificate against an IP endpoint, not the connectTo host, wherever the connection goes', async () => {
    // The emulator's certificate names localhost, 127.0.0.1 and its IoT host name, not 10.9.9.9.
    await expect(source({ endpoint: '10.9.9.9', connectTo: iot.address })()).rejects.toMatchObject({ code: 'TlsError' })
    await expect(
      source({ endpoint: '127.0.0.1', connectTo: { host: 'localhost', port: iot.address.port } })(),
    ).resolves.toMatchObject({ accessKeyId: expect.any(String) })
    expect(last().servername).toBeUndefined()
  })

  it('checks the certificate against the endpoint host name, not the connectTo host', async () => {
    await expect(source({ endpoint: 'other.credentials.iot.eu-west-1.amazonaws.com' })()).rejects.toMatchObject({
      code: 'TlsError',
    })
  })

  it('reads certificate, key and ca from PEM text, Buffers and file paths', async () => {
    await source({
      certificate: Buffer.from(iot.device.certificate),
      privateKey: Buffer.from(iot.device.privateKey),
      ca: Buffer.from(iot.ca),
    })()
    const files = iot.writeFiles(iot.device)
    await source({ certificate: files.certificatePath, privateKey: files.privateKeyPath, ca: files.caPath })()
    expect(iot.requests.map((r) => r.status)).toEqual([200, 200])
  })

  it('accepts an encrypted private key with its passphrase, from text and from a file', async () => {
    await source({ privateKey: iot.device.encryptPrivateKey('open sesame'), passphrase: 'open sesame' })()
    const files = iot.writeFiles(iot.device, { passphrase: 'open sesame' })
    await source({ privateKey: files.privateKeyPath, passphrase: 'open sesame' })()
    expect(iot.requests.map((r) => r.status)).toEqual([200, 200])
  })

  itWithPackage('openssl', 'fromIotCertificate PKCS#12 tests')(
    'accepts a PKCS#12 pfx with its passphrase, as bytes and as a path',
    async () => {
      const pfx = iot.device.toPfx('pfx-pass')
      await source({ certificate: undefined, privateKey: undefined, pfx, passphrase: 'pfx-pass' })()
      const dir = mkdtempSync(join(tmpdir(), 'pfx-test-'))
      try {
        writeFileSync(join(dir, 'device.p12'), pfx)
        await source({
          certificate: undefined,
          privateKey: undefined,
          pfx: join(dir, 'device.p12'),
          passphrase: 'pfx-pass',
        })()
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
      expect(last().clientCertificateFingerprint).toBe(iot.device.fingerprint)
    },
  )

  it('reports a wrong or missing passphrase at construction as InvalidConfiguration, not a crash', () => {
    const encrypted = iot.device.encryptPrivateKey('right-passphrase')
    expect(() => source({ privateKey: encrypted, passphrase: 'wrong-passphrase' })).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringMatching(/passphrase/) }),
    )
    expect(() => source({ privateKey: encrypted })).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
    if (hasSystemPackage('openssl', 'fromIotCertificate wrong PKCS#12 passphrase'))
      expect(() =>
        source({ certificate: undefined, privateKey: undefined, pfx: iot.device.toPfx('right'), passphrase: 'wrong' }),
      ).toThrow(expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringMatching(/passphrase/) }))
  })

  it('reuses one TLS connection across many refreshes', async () => {
    const s = source()
    for (let i = 0; i < 5; i++) await s()
    expect(iot.requests).toHaveLength(5)
    expect(iot.stats).toEqual({ connections: 1, tlsHandshakes: 1 })
  })

  it('sends the request again, once, when a kept-alive connection turns out to be closed', async () => {
    const s = source()
    await s()
    iot.inject({ type: 'reset' })
    await expect(s()).resolves.toHaveProperty('accessKeyId')
    expect(iot.requests.map((r) => r.status)).toEqual([200, 0, 200])
    iot.inject({ type: 'reset', count: 2 })
    await expect(s()).rejects.toMatchObject({ code: 'NetworkError', retryable: true })
  })

  it('close() releases the keep-alive connection; later calls still work on their own connection', async () => {
    const s = source()
    await s()
    s.close()
    await s()
    await s()
    expect(iot.stats.tlsHandshakes).toBe(3)
  })
})
