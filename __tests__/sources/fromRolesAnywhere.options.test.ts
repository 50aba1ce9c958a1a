import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import { fromRolesAnywhere, type FromRolesAnywhereOptions } from '../../lib/sources/fromRolesAnywhere'
import { parseTarget } from '../../lib/sources/rolesAnywhere/options'
import { createTestCertificateAuthority, type TestCertificate } from '../../lib/testing/createTestCertificateAuthority'

const ANCHOR = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789'
const PROFILE = 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/1b2c3d4e-5f60-789a-bcde-f0123456789a'
const ROLE = 'arn:aws:iam::123456789012:role/backup'
let leaf: TestCertificate

beforeAll(async () => {
  leaf = await (await createTestCertificateAuthority()).issue({ commonName: 'host', usage: 'client' })
})

const options = (o: Record<string, unknown> = {}): FromRolesAnywhereOptions => ({
  trustAnchorArn: ANCHOR,
  profileArn: PROFILE,
  roleArn: ROLE,
  certificate: leaf.certificate,
  privateKey: leaf.privateKey,
  ...o,
})

const refused = (o: Record<string, unknown>, message: RegExp): void =>
  expect(() => fromRolesAnywhere(options(o))).toThrow(
    expect.objectContaining({
      code: 'InvalidConfiguration',
      source: 'fromRolesAnywhere',
      message: expect.stringMatching(message),
    }),
  )

describe('fromRolesAnywhere options', () => {
  it('accepts valid options without any I/O, a DER certificate too', () => {
    expect(typeof fromRolesAnywhere(options())).toBe('function')
    expect(typeof fromRolesAnywhere(options({ certificate: new X509Certificate(leaf.certificate).raw }))).toBe(
      'function',
    )
  })

  it.each([
    [
      { trustAnchorArn: 'arn:aws:iam::123456789012:role/x' },
      /trustAnchorArn must be an IAM Roles Anywhere trust-anchor ARN/,
    ],
    [{ profileArn: ANCHOR }, /profileArn must be an IAM Roles Anywhere profile ARN/],
    [{ profileArn: PROFILE.replace('eu-west-1', 'us-east-1') }, /both must be in one region/],
    [{ roleArn: 'backup' }, /roleArn must be an IAM role ARN/],
    [{ region: 'Europe' }, /region must be a region name/],
    [{ durationSeconds: 899 }, /durationSeconds must be an integer from 900 to 43200/],
    [{ durationSeconds: 43_201 }, /durationSeconds/],
    [{ roleSessionName: 'a' }, /roleSessionName must be 2-64/],
    [{ timeoutMs: 0 }, /timeoutMs must be a positive number/],
    [
      { endpoint: 'http://rolesanywhere.eu-west-1.amazonaws.com' },
      /endpoint must use https \(http only to a loopback host/,
    ],
    [{ endpoint: 'https://example.com/sessions' }, /bare origin/],
    [{ certificate: undefined }, /certificate is required/],
    [{ privateKey: undefined }, /give exactly one of privateKey/],
    [{ certificate: '/nonexistent/host.crt' }, /cannot read certificate file/],
    [{ certificate: 'not a certificate -----BEGIN nothing' }, /certificate is not an X.509 certificate/],
    [
      { intermediates: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n' },
      /intermediates must hold one or more PEM certificates/,
    ],
    [
      { pkcs11: { library: '/usr/lib/softhsm/libsofthsm2.so', pin: '1234' }, privateKey: undefined },
      /pkcs11 keys are not supported yet/,
    ],
    [{ pfx: Buffer.from('not pkcs12'), certificate: undefined, privateKey: undefined }, /PKCS#12|pfx/],
  ])('refuses %o at construction', (o, message) => refused(o, message))

  it('refuses key types IAM Roles Anywhere does not take', () => {
    const { privateKey } = generateKeyPairSync('ed25519')
    refused(
      { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      /takes RSA or EC P-256\/P-384 keys/,
    )
  })

  it('never echoes a key given as a "path" in its error', () => {
    const keyBody = leaf.privateKey.split('\n').slice(1, -2).join('')
    let message = ''
    try {
      fromRolesAnywhere(options({ privateKey: keyBody }))
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/cannot read privateKey file at the given path/)
    expect(message).not.toContain(keyBody.slice(0, 20))
  })

  it('parses endpoints: https by default, http to loopback only, ports kept in the host header', () => {
    expect(parseTarget('rolesanywhere.eu-west-1.amazonaws.com')).toEqual({
      protocol: 'https:',
      hostname: 'rolesanywhere.eu-west-1.amazonaws.com',
      port: 443,
      host: 'rolesanywhere.eu-west-1.amazonaws.com',
    })
    expect(parseTarget('http://127.0.0.1:8080')).toEqual({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      host: '127.0.0.1:8080',
    })
    expect(parseTarget('http://[::1]:8080').hostname).toBe('::1')
    expect(() => parseTarget('http://10.0.0.1')).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
  })
})
