import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent } from 'node:https'
import { Readable } from 'node:stream'
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { HttpRequest } from '@smithy/types'
import { pipe } from 'fp-ts/function'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fromRolesAnywhere, type FromRolesAnywhereOptions } from '../../lib/sources/fromRolesAnywhere'
import {
  startRolesAnywhereEmulator,
  type RolesAnywhereCertificate,
  type RolesAnywhereEmulator,
} from '../../lib/testing/startRolesAnywhereEmulator'
import { CANARY_MARKER } from '../support/canaries'
import { rolesAnywhereOptions } from '../support/emulatorSources'
import { recordingLogger } from '../support/recordingLogger'

const PASSPHRASE = `${CANARY_MARKER}-key-passphrase`
let ra: RolesAnywhereEmulator
let rsa: RolesAnywhereCertificate
let p384: RolesAnywhereCertificate
let dir: string

beforeAll(async () => {
  ra = await startRolesAnywhereEmulator({
    profiles: [
      {},
      { durationSeconds: 7200, roleArns: ['arn:aws:iam::123456789012:role/long'], acceptRoleSessionName: false },
    ],
  })
  ;[rsa, p384] = await Promise.all([
    ra.issueCertificate({ keyType: 'rsa' }),
    ra.issueCertificate({ keyType: 'ec-p384', viaIntermediate: false }),
  ])
  dir = mkdtempSync(join(tmpdir(), 'ra-test-'))
})
afterEach(() => {
  ra.clearFaults()
  ra.clearRequests()
  ra.setSkewMs(0)
})
afterAll(async () => {
  await ra.close()
  rmSync(dir, { recursive: true, force: true })
})

const optionsFor = (
  c: RolesAnywhereCertificate,
  overrides: Partial<FromRolesAnywhereOptions> = {},
): FromRolesAnywhereOptions =>
  ({
    ...rolesAnywhereOptions(ra, c),
    timeoutMs: 2000,
    ...overrides,
  }) as FromRolesAnywhereOptions

const last = () => ra.requests[ra.requests.length - 1]!
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name)
  writeFileSync(path, content, { mode: 0o600 })
  return path
}

describe('fromRolesAnywhere against the emulator', () => {
  it.each([
    ['EC P-256 (with intermediates)', () => ra.certificate, 'AWS4-X509-ECDSA-SHA256'],
    ['EC P-384 (issued by the anchor itself)', () => p384, 'AWS4-X509-ECDSA-SHA256'],
    ['RSA 2048', () => rsa, 'AWS4-X509-RSA-SHA256'],
  ])('signs with a %s key and gets credentials with expiration and accountId', async (_, cert, algorithm) => {
    const c = await fromRolesAnywhere(optionsFor(cert()))()
    expect(c).toEqual({
      accessKeyId: expect.stringMatching(/^ASIA/),
      secretAccessKey: expect.any(String),
      sessionToken: expect.any(String),
      expiration: expect.any(Date),
      accountId: '123456789012',
    })
    expect(c.expiration!.getTime()).toBeGreaterThan(Date.now() + 3500_000)
    expect(last()).toMatchObject({ method: 'POST', path: '/sessions', status: 201, algorithm, serial: cert().serial })
  })

  it('sends the ARNs as query parameters, the duration and session name in the body, the chain as X-Amz-X509-Chain', async () => {
    await fromRolesAnywhere(optionsFor(ra.certificate, { durationSeconds: 1800, roleSessionName: 'backup-job' }))()
    expect(last().query).toEqual({ profileArn: ra.profileArn, roleArn: ra.roleArn, trustAnchorArn: ra.trustAnchorArn })
    expect(JSON.parse(last().body)).toEqual({ durationSeconds: 1800, roleSessionName: 'backup-job' })
    expect(String(last().headers['x-amz-x509-chain'])).not.toContain('-----')
    expect(last().headers['content-type']).toBe('application/json')
    await fromRolesAnywhere(optionsFor(p384))()
    expect(last().headers['x-amz-x509-chain']).toBeUndefined()
  })

  it('puts the serial number in decimal in the Credential scope', async () => {
    await fromRolesAnywhere(optionsFor(ra.certificate))()
    const auth = String(last().headers['authorization'])
    expect(auth).toMatch(
      new RegExp(
        `^AWS4-X509-ECDSA-SHA256 Credential=${ra.certificate.serial}/\\d{8}/us-east-1/rolesanywhere/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-x509;x-amz-x509-chain, Signature=[0-9a-f]+$`,
      ),
    )
    expect(BigInt(ra.certificate.serial)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER))
  })

  it('reads PEM files, Buffers, an encrypted key with its passphrase, and PKCS#12', async () => {
    const c = ra.certificate
    const forms: Partial<FromRolesAnywhereOptions>[] = [
      {
        certificate: file('leaf.pem', c.certificate),
        privateKey: file('leaf.key', c.privateKey),
        intermediates: file('chain.pem', c.intermediates!),
      },
      {
        certificate: Buffer.from(c.certificate),
        privateKey: Buffer.from(c.privateKey),
        intermediates: Buffer.from(c.intermediates!),
      },
      { privateKey: c.encryptPrivateKey(PASSPHRASE), passphrase: PASSPHRASE },
      { certificate: undefined, privateKey: undefined, pfx: c.toPfx(PASSPHRASE), passphrase: PASSPHRASE },
      {
        certificate: undefined,
        privateKey: undefined,
        pfx: file('leaf.p12', rsa.toPfx(PASSPHRASE)),
        passphrase: PASSPHRASE,
        intermediates: rsa.intermediates,
      },
    ]
    for (const form of forms)
      await expect(fromRolesAnywhere(optionsFor(c, form))()).resolves.toMatchObject({
        accessKeyId: expect.stringMatching(/^ASIA/),
      })
    expect(ra.requests.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
  })

  it('takes an explicit certificate with pfx and sends it; one of another key is refused before any request', async () => {
    const c = ra.certificate
    const pfx = { privateKey: undefined, pfx: c.toPfx(PASSPHRASE), passphrase: PASSPHRASE }
    await expect(
      fromRolesAnywhere(optionsFor(c, { ...pfx, certificate: file('given.pem', c.certificate) }))(),
    ).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) })
    expect(last()).toMatchObject({ status: 201, serial: c.serial })
    ra.clearRequests()
    expect(() => fromRolesAnywhere(optionsFor(c, { ...pfx, certificate: rsa.certificate }))).toThrow(
      expect.objectContaining({
        code: 'InvalidConfiguration',
        message: expect.stringContaining('does not belong to the certificate'),
      }),
    )
    expect(() => fromRolesAnywhere(optionsFor(c, { ...pfx, certificate: 'not a certificate\n' }))).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration' }),
    )
    expect(ra.requests).toHaveLength(0)
  })

  it('refuses at construction, before any request: a key of another certificate, a wrong passphrase, pkcs11', () => {
    const wrongKey = () => fromRolesAnywhere(optionsFor(ra.certificate, { privateKey: p384.privateKey }))
    expect(wrongKey).toThrow(
      expect.objectContaining({
        code: 'InvalidConfiguration',
        message: expect.stringContaining('does not belong to the certificate'),
      }),
    )
    const wrongPassphrase = () =>
      fromRolesAnywhere(
        optionsFor(ra.certificate, {
          privateKey: ra.certificate.encryptPrivateKey(PASSPHRASE),
          passphrase: `${CANARY_MARKER}-wrong`,
        }),
      )
    expect(wrongPassphrase).toThrow(
      expect.objectContaining({
        code: 'InvalidConfiguration',
        message: expect.stringContaining('wrong or missing passphrase'),
      }),
    )
    const wrongPfx = () =>
      fromRolesAnywhere(
        optionsFor(ra.certificate, {
          certificate: undefined,
          privateKey: undefined,
          pfx: ra.certificate.toPfx(PASSPHRASE),
          passphrase: 'nope',
        }),
      )
    expect(wrongPfx).toThrow(expect.objectContaining({ code: 'InvalidConfiguration', source: 'fromRolesAnywhere' }))
    const pkcs11 = () =>
      fromRolesAnywhere(
        optionsFor(ra.certificate, {
          privateKey: undefined,
          pkcs11: { library: '/usr/lib/softhsm/libsofthsm2.so', pin: '1234' },
        }),
      )
    expect(pkcs11).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining('not supported yet') }),
    )
    expect(ra.requests).toHaveLength(0)
  })

  it.each([
    [
      'an expired certificate',
      () => ra.issueCertificate({ notAfter: new Date(Date.now() - 60_000) }),
      {},
      403,
      /expired/,
    ],
    [
      'a certificate of a CA no trust anchor holds',
      () => ra.issueCertificate({ foreignCa: true }),
      {},
      403,
      /Untrusted signing certificate/,
    ],
    [
      'a certificate without the intermediates it needs',
      async () => ({ ...ra.certificate, intermediates: undefined }),
      {},
      403,
      /Untrusted/,
    ],
    [
      'a role that is not in the profile',
      async () => ra.certificate,
      { roleArn: 'arn:aws:iam::123456789012:role/other' },
      403,
      /Unable to assume role/,
    ],
    [
      'a duration over the profile limit',
      async () => ra.certificate,
      { durationSeconds: 7200 },
      400,
      /exceeds the profile/,
    ],
  ] as const)(
    'is refused for %s: RolesAnywhereRejected with the status and the message, not retryable',
    async (_, cert, overrides, status, message) => {
      const e = await fromRolesAnywhere(
        optionsFor(await cert(), overrides as Partial<FromRolesAnywhereOptions>),
      )().catch((x: unknown) => x)
      expect(e).toMatchObject({
        code: 'RolesAnywhereRejected',
        statusCode: status,
        retryable: false,
        message: expect.stringMatching(message),
      })
    },
  )

  it('is refused with a clock more than 5 minutes off, and accepted within', async () => {
    ra.setSkewMs(6 * 60_000)
    await expect(fromRolesAnywhere(optionsFor(ra.certificate))()).rejects.toMatchObject({
      code: 'RolesAnywhereRejected',
      statusCode: 403,
      message: expect.stringMatching(/Signature expired.*clock/),
    })
    ra.setSkewMs(4 * 60_000)
    await expect(fromRolesAnywhere(optionsFor(ra.certificate))()).resolves.toMatchObject({ accountId: '123456789012' })
    const ahead = fromRolesAnywhere(optionsFor(ra.certificate, { now: () => Date.now() + 10 * 60_000 }))
    await expect(ahead()).rejects.toMatchObject({ code: 'RolesAnywhereRejected' })
  })

  it('honours a profile that refuses roleSessionName, and one with a longer duration', async () => {
    const long = {
      profileArn: ra.profileArns[1]!,
      roleArn: 'arn:aws:iam::123456789012:role/long',
      durationSeconds: 7200,
    }
    const c = await fromRolesAnywhere(optionsFor(ra.certificate, long))()
    expect(c.expiration!.getTime()).toBeGreaterThan(Date.now() + 7100_000)
    await expect(
      fromRolesAnywhere(optionsFor(ra.certificate, { ...long, roleSessionName: 'named' }))(),
    ).rejects.toMatchObject({ code: 'RolesAnywhereRejected', statusCode: 403 })
  })

  it.each([
    [{ type: 'throttle' }, 'Throttled', true],
    [{ type: 'status', status: 500 }, 'ServiceUnavailable', true],
    [{ type: 'status', status: 503 }, 'ServiceUnavailable', true],
    [{ type: 'reset' }, 'NetworkError', true],
    [{ type: 'malformed' }, 'InvalidCredentials', false],
    [{ type: 'expiredCredentials' }, 'Expired', false],
    [{ type: 'delay', ms: 500 }, 'Timeout', true],
  ] as const)('maps the fault %o to %s (retryable: %s)', async (fault, code, retryable) => {
    ra.inject(fault)
    const source = fromRolesAnywhere(optionsFor(ra.certificate, { timeoutMs: 200 }))
    await expect(source()).rejects.toMatchObject({ code, retryable, source: 'fromRolesAnywhere' })
    ra.clearFaults()
    await expect(source()).resolves.toMatchObject({ accountId: '123456789012' })
  })

  it('is aborted by the caller signal', async () => {
    ra.inject({ type: 'delay', ms: 1000 })
    const controller = new AbortController()
    const p = fromRolesAnywhere(optionsFor(ra.certificate))({ signal: controller.signal })
    controller.abort()
    await expect(p).rejects.toMatchObject({ code: 'Aborted' })
  })

  it('refreshes through withRefresh: one CreateSession for concurrent callers, a new one on forceRefresh', async () => {
    const provider = pipe(fromRolesAnywhere(optionsFor(ra.certificate)), withRefresh())
    const [a, b] = await Promise.all([provider(), provider()])
    expect(a).toBe(b)
    const c = await provider({ forceRefresh: true })
    expect(c.accessKeyId).not.toBe(a.accessKeyId)
    expect(ra.requests).toHaveLength(2)
    provider.close()
  })
})

describe('startRolesAnywhereEmulator', () => {
  it('serves HTTPS with its own server CA; the source verifies the peer always', async () => {
    const tls = await startRolesAnywhereEmulator({ tls: true })
    try {
      const base = { ...rolesAnywhereOptions(tls), timeoutMs: 2000 }
      await expect(fromRolesAnywhere({ ...base, ca: tls.serverCa! })()).resolves.toMatchObject({
        accountId: '123456789012',
      })
      await expect(fromRolesAnywhere(base)()).rejects.toMatchObject({ code: 'TlsError' })
    } finally {
      await tls.close()
    }
  })

  it("inherits the calling SDK client's requestHandler (its trusted CAs) and logger, never logging a secret", async () => {
    const tls = await startRolesAnywhereEmulator({ tls: true })
    const inner = new NodeHttpHandler({ httpsAgent: new Agent({ ca: tls.serverCa!, keepAlive: false }) })
    const sent: string[] = []
    const handler = {
      handle: (request: HttpRequest, options?: object) => {
        sent.push(`${request.method} ${request.path.split('?')[0]}`)
        return request.path.startsWith('/sessions')
          ? inner.handle(request as never, options)
          : Promise.resolve({ response: { statusCode: 200, headers: {}, body: Readable.from(['<R/>']) } })
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
      destroy: () => undefined,
    }
    const logger = recordingLogger()
    const credentials = pipe(
      fromRolesAnywhere({ ...rolesAnywhereOptions(tls), timeoutMs: 2000 }), // no ca: only the caller's handler trusts the emulator's server CA
      withRefresh(),
    )
    const s3 = new S3Client({ region: 'us-east-1', credentials, requestHandler: handler, logger, maxAttempts: 1 })
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: 'b', Key: 'k' }))
      expect(sent).toEqual(['POST /sessions', expect.stringMatching(/^DELETE \/.*k$/)])
      expect(logger.at('debug')).toContainEqual(expect.stringContaining('fromRolesAnywhere: CreateSession for'))
      const c = credentials.current()!
      logger.forbid(c.secretAccessKey, c.sessionToken!)
    } finally {
      s3.destroy()
      credentials.close()
      inner.destroy()
      await tls.close()
    }
  })

  it("takes its own logger first; a caller's failure reaches it at warn", async () => {
    const own = recordingLogger()
    const callers = recordingLogger()
    const roleArn = 'arn:aws:iam::123456789012:role/not-in-the-profile'
    const source = fromRolesAnywhere({ ...optionsFor(ra.certificate, { roleArn }), logger: own })
    await expect(
      source({ callerClientConfig: { region: async () => 'us-east-1', logger: callers } }),
    ).rejects.toMatchObject({ code: 'RolesAnywhereRejected' })
    expect(own.at('debug')).toHaveLength(1)
    expect(own.at('warn')).toEqual([expect.stringContaining('fromRolesAnywhere: RolesAnywhereRejected')])
    expect(callers.lines).toEqual([])
    expect(() => fromRolesAnywhere({ ...optionsFor(ra.certificate), logger: 'console' as never })).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration' }),
    )
  })

  it('refuses a tampered request: a signature made over other content', async () => {
    const res = await fetch(`${ra.endpoint}/sessions?profileArn=x`, {
      method: 'POST',
      headers: {
        authorization:
          'AWS4-X509-ECDSA-SHA256 Credential=1/20260101/us-east-1/rolesanywhere/aws4_request, SignedHeaders=host;x-amz-date;x-amz-x509, Signature=00',
        'x-amz-date': '20260101T000000Z',
        'x-amz-x509': Buffer.from(ra.certificate.certificate.split('\n').slice(1, -2).join(''), 'base64').toString(
          'base64',
        ),
      },
      body: '{}',
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException')
  })
})
