import { inspect } from 'node:util'
import { fromIotCertificate, type FromIotCertificateOptions } from '../../lib/sources/fromIotCertificate.js'
import {
  createTestCertificateAuthority,
  type TestCertificateAuthority,
} from '../../lib/testing/createTestCertificateAuthority.js'
import { startIotEmulator, type IotEmulator } from '../../lib/testing/startIotEmulator.js'
import { iotDeviceOptions } from '../support/emulatorSources.js'
import { hasSystemPackage } from '../support/systemPackages.js'

let iot: IotEmulator
let otherCa: TestCertificateAuthority
const sources: Array<{ close: () => void }> = []

beforeAll(async () => {
  iot = await startIotEmulator({
    things: ['pump-7'],
    roleAliases: { 'device-role': {}, 'broken-role': { assumable: false } },
  })
  otherCa = await createTestCertificateAuthority('Other CA')
})
afterEach(() => {
  for (const s of sources.splice(0)) s.close()
  iot.reset()
})
afterAll(() => iot.close())

const TIMEOUT_MS = 300

const source = (overrides: Partial<FromIotCertificateOptions> = {}) => {
  const s = fromIotCertificate({
    ...iotDeviceOptions(iot),
    timeoutMs: TIMEOUT_MS,
    ...overrides,
  } as FromIotCertificateOptions)
  sources.push(s)
  return s
}

/** Calls the source and returns the error with how long it took. */
const failure = async (s: () => Promise<unknown>): Promise<{ error: Record<string, unknown>; ms: number }> => {
  const t = Date.now()
  const error = await s().then(
    () => {
      throw new Error('expected a failure')
    },
    (e: unknown) => e as Record<string, unknown>,
  )
  return { error, ms: Date.now() - t }
}

describe('fromIotCertificate errors', () => {
  it.each([
    ['an unknown role alias', { roleAlias: 'no-such-alias' }, 404, /Role alias does not exist/],
    ['a thing not attached to the certificate', { thingName: 'someone-else' }, 403, /Invalid thing name passed/],
    ['a role IoT cannot assume', { roleAlias: 'broken-role' }, 400, /Unable to assume the role/],
  ])('maps %s to IotRejected with the status and IoT message', async (_, overrides, statusCode, message) => {
    const { error, ms } = await failure(source(overrides))
    expect(error).toMatchObject({
      name: 'CredentialError',
      code: 'IotRejected',
      statusCode,
      source: 'fromIotCertificate',
      retryable: false,
    })
    expect(error['message']).toMatch(message)
    expect(ms).toBeLessThan(TIMEOUT_MS)
  })

  it('maps a policy without iot:AssumeRoleWithCertificate to IotRejected 403 Access Denied', async () => {
    const device = await iot.createDevice({ roleAliases: ['other-alias'] })
    const { error } = await failure(source({ certificate: device.certificate, privateKey: device.privateKey }))
    expect(error).toMatchObject({
      code: 'IotRejected',
      statusCode: 403,
      message: expect.stringMatching(/Access Denied/),
    })
  })

  it('maps an unregistered certificate and one from another CA to IotRejected 403 "Certificate is invalid"', async () => {
    for (const device of [await iot.createDevice({ registered: false }), await iot.createDevice({ foreignCa: true })]) {
      const { error, ms } = await failure(source({ certificate: device.certificate, privateKey: device.privateKey }))
      expect(error).toMatchObject({
        code: 'IotRejected',
        statusCode: 403,
        message: expect.stringMatching(/Certificate is invalid on this endpoint/),
      })
      expect(ms).toBeLessThan(TIMEOUT_MS)
    }
  })

  it('maps a server certificate from an untrusted CA to TlsError with the TLS reason', async () => {
    const { error, ms } = await failure(source({ ca: otherCa.certificate }))
    expect(error).toMatchObject({
      code: 'TlsError',
      retryable: false,
      message: expect.stringMatching(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE/),
    })
    expect(ms).toBeLessThan(TIMEOUT_MS)
    expect(iot.requests).toHaveLength(0)
  })

  it('maps a server certificate for another name to TlsError', async () => {
    const { error } = await failure(source({ endpoint: 'c9other.credentials.iot.us-east-1.amazonaws.com' }))
    expect(error).toMatchObject({ code: 'TlsError', message: expect.stringMatching(/ERR_TLS_CERT_ALTNAME_INVALID/) })
  })

  it('maps 429 to Throttled and 5xx to ServiceUnavailable, both retryable', async () => {
    iot.inject({ type: 'status', status: 429 })
    iot.inject({ type: 'status', status: 503 })
    const s = source()
    expect((await failure(s)).error).toMatchObject({ code: 'Throttled', statusCode: 429, retryable: true })
    expect((await failure(s)).error).toMatchObject({ code: 'ServiceUnavailable', statusCode: 503, retryable: true })
    await expect(s()).resolves.toHaveProperty('accessKeyId')
  })

  it('maps a reset connection and a closed port to a retryable NetworkError', async () => {
    iot.inject({ type: 'reset' })
    expect((await failure(source())).error).toMatchObject({ code: 'NetworkError', retryable: true })
    const closed = source({ connectTo: { host: '127.0.0.1', port: 1 } })
    expect((await failure(closed)).error).toMatchObject({
      code: 'NetworkError',
      message: expect.stringMatching(/ECONNREFUSED/),
    })
  })

  it('fails with Timeout at timeoutMs when IoT answers too late', async () => {
    iot.inject({ type: 'delay', ms: 10_000 })
    const { error, ms } = await failure(source())
    expect(error).toMatchObject({ code: 'Timeout', retryable: true })
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5)
    expect(ms).toBeLessThan(TIMEOUT_MS + 500)
  })

  it('stops at once when the caller aborts through context.signal', async () => {
    iot.inject({ type: 'delay', ms: 10_000 })
    const controller = new AbortController()
    const p = source({ timeoutMs: 10_000 })({ signal: controller.signal })
    setImmediate(() => controller.abort())
    await expect(p).rejects.toMatchObject({ code: 'Aborted' })
  })

  it('rejects a malformed answer with InvalidCredentials and an already-expired one with Expired', async () => {
    iot.inject({ type: 'malformed' })
    iot.inject({ type: 'expired' })
    const s = source()
    expect((await failure(s)).error).toMatchObject({
      code: 'InvalidCredentials',
      message: expect.stringMatching(/not JSON/),
    })
    expect((await failure(s)).error).toMatchObject({ code: 'Expired' })
  })

  it('never puts key material, a passphrase or a credential in an error', async () => {
    const passphrase = 'CANARY-passphrase-4f2b9d'
    const encrypted = iot.device.encryptPrivateKey(passphrase)
    const errors: unknown[] = []
    try {
      source({ privateKey: encrypted, passphrase: 'CANARY-wrong-7e1a3c' })
    } catch (e) {
      errors.push(e)
    }
    if (hasSystemPackage('openssl', 'fromIotCertificate PKCS#12 canary'))
      try {
        source({
          certificate: undefined,
          privateKey: undefined,
          pfx: iot.device.toPfx(passphrase),
          passphrase: 'CANARY-wrong-7e1a3c',
        })
      } catch (e) {
        errors.push(e)
      }
    iot.inject({ type: 'expired' })
    const s = source({ privateKey: encrypted, passphrase })
    errors.push(
      (await failure(s)).error,
      (await failure(source({ roleAlias: 'nope' }))).error,
      (await failure(source({ ca: otherCa.certificate }))).error,
    )
    expect(errors).toHaveLength(5)
    const keyBody = iot.device.privateKey.split('\n')[1]!.slice(0, 24)
    for (const e of errors) {
      const text = `${(e as Error).message}\n${inspect(e, { depth: 5 })}`
      for (const canary of ['CANARY', keyBody, 'PRIVATE KEY', encrypted.split('\n')[1]!.slice(0, 24)])
        expect(text).not.toContain(canary)
    }
  })
})
