import { fromIotCertificate, type FromIotCertificateOptions } from '../../lib/sources/fromIotCertificate.js'
import {
  createTestCertificateAuthority,
  type TestCertificate,
} from '../../lib/testing/createTestCertificateAuthority.js'

let device: TestCertificate

beforeAll(async () => {
  const ca = await createTestCertificateAuthority()
  device = await ca.issue({ commonName: 'device', usage: 'client' })
})

const build = (overrides: Record<string, unknown>) => () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the overrides are deliberately ill-typed options
  const s = fromIotCertificate({
    endpoint: 'c2example0abcd.credentials.iot.us-east-1.amazonaws.com',
    roleAlias: 'device-role',
    certificate: device.certificate,
    privateKey: device.privateKey,
    ...overrides,
  } as unknown as FromIotCertificateOptions)
  s.close()
}

const invalid = (pattern: RegExp) =>
  expect.objectContaining({
    name: 'CredentialError',
    code: 'InvalidConfiguration',
    message: expect.stringMatching(pattern),
  })

describe('fromIotCertificate options', () => {
  it('accepts host, host:port and https URL endpoints without any I/O', () => {
    for (const endpoint of [
      'a.credentials.iot.eu-west-1.amazonaws.com',
      'a.credentials.iot.eu-west-1.amazonaws.com:8443',
      'https://a.credentials.iot.eu-west-1.amazonaws.com/',
    ])
      expect(build({ endpoint })).not.toThrow()
  })

  it.each([
    ['roleAlias', { roleAlias: '' }, /roleAlias/],
    ['roleAlias', { roleAlias: 'has/slash' }, /roleAlias/],
    ['roleAlias', { roleAlias: 'a'.repeat(129) }, /roleAlias/],
    ['thingName', { thingName: 'bad name' }, /thingName/],
    ['durationSeconds', { durationSeconds: 899 }, /900 to 43200/],
    ['durationSeconds', { durationSeconds: 43_201 }, /900 to 43200/],
    ['durationSeconds', { durationSeconds: 1000.5 }, /900 to 43200/],
    ['timeoutMs', { timeoutMs: 0 }, /timeoutMs/],
    ['timeoutMs', { timeoutMs: 3e9 }, /timeoutMs.*up to 2147483647/],
    ['endpoint', { endpoint: 'http://plain.example.com' }, /https/],
    ['endpoint', { endpoint: 'https://host.example.com/path' }, /bare host/],
    ['connectTo', { connectTo: { host: '127.0.0.1', port: 70_000 } }, /connectTo.port/],
  ])('rejects a bad %s at construction', (_, overrides, message) => {
    expect(build(overrides)).toThrow(invalid(message))
  })

  it('asks for exactly one of privateKey, pfx and pkcs11', () => {
    expect(build({ privateKey: undefined })).toThrow(invalid(/exactly one.*got none/))
    expect(build({ pfx: Buffer.from('x') })).toThrow(invalid(/privateKey and pfx/))
    expect(build({ privateKey: undefined, pkcs11: { library: '/x.so', pin: '1' }, certificate: undefined })).toThrow(
      invalid(/certificate is required/),
    )
    expect(build({ privateKey: undefined, pfx: Buffer.from('x') })).toThrow(
      invalid(/certificate must not be given with pfx/),
    )
    expect(build({ privateKey: undefined, pkcs11: { library: '', pin: '1' } })).toThrow(invalid(/pkcs11.library/))
    expect(build({ privateKey: undefined, pkcs11: { library: '/x.so', pin: '1', slotId: -1 } })).toThrow(
      invalid(/slotId/),
    )
  })

  it('reads files at construction and names a missing one without its content', () => {
    expect(build({ certificate: '/nonexistent/device.pem.crt' })).toThrow(
      invalid(/cannot read certificate file "\/nonexistent\/device.pem.crt" \(ENOENT\)/),
    )
    expect(build({ ca: '/nonexistent/ca.pem' })).toThrow(invalid(/cannot read ca file/))
  })

  it('never echoes a private key given without its PEM header (read as a path that does not exist)', () => {
    const bareKey = device.privateKey
      .split('\n')
      .filter((l) => !l.startsWith('-----'))
      .join('')
    let message = ''
    try {
      build({ privateKey: bareKey })()
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/cannot read privateKey file at the given path \(ENOENT\).*-----BEGIN/)
    expect(message).not.toContain(bareKey.slice(0, 24))
  })

  it('reports a key that does not belong to the certificate, or is not a key', async () => {
    const other = await (await createTestCertificateAuthority()).issue({ commonName: 'other', usage: 'client' })
    expect(build({ privateKey: other.privateKey })).toThrow(invalid(/does not belong to the certificate/))
    expect(build({ privateKey: Buffer.from('not a key') })).toThrow(invalid(/could not be loaded/))
  })

  it('builds a PKCS#11 source without loading aws-crt or touching the HSM', () => {
    expect(
      build({ privateKey: undefined, pkcs11: { library: '/nonexistent/libpkcs11.so', pin: '1234', keyLabel: 'k' } }),
    ).not.toThrow()
  })
})
