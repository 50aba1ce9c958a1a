import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { fromWebIdentity } from '../../lib/sources/fromWebIdentity'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { clientConfigFor } from '../support/stsFixture'

const ROLE = 'arn:aws:iam::123456789012:role/emulator-role'

describe('fromWebIdentity', () => {
  let sts: StsEmulator
  let dir: string
  const closers: (() => void)[] = []
  beforeEach(async () => {
    sts = await startStsEmulator()
    dir = await mkdtemp(join(tmpdir(), 'web-identity-'))
  })
  afterEach(async () => {
    for (const close of closers.splice(0)) close()
    await sts.close()
    await rm(dir, { recursive: true, force: true })
  })
  const make = (params: Parameters<typeof fromWebIdentity>[0]) => {
    const source = fromWebIdentity(params, { clientConfig: clientConfigFor(sts) })
    closers.push(source.close)
    return source
  }

  it('requires exactly one of WebIdentityToken and WebIdentityTokenFile', () => {
    expect(() => fromWebIdentity({ RoleArn: ROLE } as never)).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration' }),
    )
    expect(() =>
      fromWebIdentity({ RoleArn: ROLE, WebIdentityToken: 'abcd', WebIdentityTokenFile: '/x' } as never),
    ).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining('exactly one') }),
    )
  })

  it.each([
    ['params', undefined, undefined],
    ['params', 'token', undefined],
    ['WebIdentityToken', { RoleArn: ROLE, WebIdentityToken: 5 }, undefined],
    ['WebIdentityToken', { WebIdentityToken: 5 }, undefined],
    ['WebIdentityToken', { RoleArn: ROLE, WebIdentityToken: null }, undefined],
    ['WebIdentityTokenFile', { RoleArn: ROLE, WebIdentityTokenFile: 5 }, undefined],
    ['WebIdentityTokenFile', { RoleArn: ROLE, WebIdentityTokenFile: '' }, undefined],
    ['options', { RoleArn: ROLE, WebIdentityToken: 'abcd' }, null],
    ['options.region', { RoleArn: ROLE, WebIdentityToken: 'abcd' }, { region: '' }],
    ['options.clientConfig', { RoleArn: ROLE, WebIdentityToken: 'abcd' }, { clientConfig: 1 }],
    ['options.timeoutMs', { RoleArn: ROLE, WebIdentityToken: 'abcd' }, { timeoutMs: 2 ** 31 }],
  ])('rejects a bad %s at construction with InvalidConfiguration naming it', (name, params, options) => {
    expect(() => fromWebIdentity(params as never, options as never)).toThrow(
      expect.objectContaining({
        code: 'InvalidConfiguration',
        source: 'fromWebIdentity',
        message: expect.stringContaining(name),
      }),
    )
  })

  it('validates a static token and the other parameters at construction without echoing the token', () => {
    expect(() => fromWebIdentity({ RoleArn: ROLE, WebIdentityToken: 'CAN' })).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining('WebIdentityToken') }),
    )
    expect(() => fromWebIdentity({ RoleArn: ROLE, WebIdentityToken: 'abcd', DurationSeconds: 60 })).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration' }),
    )
  })

  it('sends an unsigned AssumeRoleWithWebIdentity with every parameter and returns accountId and a Date expiration', async () => {
    const creds = await make({
      RoleArn: ROLE,
      WebIdentityToken: 'token-1234',
      RoleSessionName: 'web',
      ProviderId: 'www.amazon.com',
      DurationSeconds: 900,
      Policy: '{}',
    })()
    expect(sts.requests[0]).toMatchObject({
      action: 'AssumeRoleWithWebIdentity',
      accessKeyId: undefined,
      params: {
        RoleArn: ROLE,
        WebIdentityToken: 'token-1234',
        RoleSessionName: 'web',
        ProviderId: 'www.amazon.com',
        DurationSeconds: '900',
        Policy: '{}',
      },
    })
    expect(sts.requests[0]!.headers['authorization']).toBeUndefined()
    expect(creds).toMatchObject({ accountId: '123456789012', expiration: expect.any(Date) })
  })

  it('calls a token function at each call', async () => {
    let n = 0
    const source = make({ RoleArn: ROLE, WebIdentityToken: () => `token-${++n}` })
    await source()
    await source()
    expect(sts.requests.map((r) => r.params['WebIdentityToken'])).toEqual(['token-1', 'token-2'])
  })

  it('re-reads WebIdentityTokenFile at each call', async () => {
    const file = join(dir, 'token')
    await writeFile(file, 'first-token\n')
    const source = make({ RoleArn: ROLE, WebIdentityTokenFile: file })
    await source()
    await writeFile(file, 'second-token')
    await source()
    expect(sts.requests.map((r) => r.params['WebIdentityToken'])).toEqual(['first-token', 'second-token'])
  })

  it('fails with SourceFailed naming the file when it cannot be read, before any request', async () => {
    const file = join(dir, 'missing')
    await expect(make({ RoleArn: ROLE, WebIdentityTokenFile: file })()).rejects.toMatchObject({
      code: 'SourceFailed',
      message: expect.stringContaining(file),
    })
    expect(sts.requests).toHaveLength(0)
  })

  it('never hangs on a token file nobody writes (a FIFO): the read is inside timeoutMs and parks no thread', async () => {
    const fifo = join(dir, 'fifo-token')
    execFileSync('mkfifo', [fifo])
    const source = fromWebIdentity(
      { RoleArn: ROLE, WebIdentityTokenFile: fifo },
      { clientConfig: clientConfigFor(sts), timeoutMs: 500 },
    )
    closers.push(source.close)
    const started = Date.now()
    await expect(source()).rejects.toMatchObject({
      code: expect.stringMatching(/^(SourceFailed|Timeout)$/),
      source: 'fromWebIdentity',
    })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(sts.requests).toHaveLength(0)
  })

  it('counts the token read against timeoutMs: a slow token function makes the call time out', async () => {
    const source = fromWebIdentity(
      { RoleArn: ROLE, WebIdentityToken: () => new Promise<string>(() => undefined) },
      { clientConfig: clientConfigFor(sts), timeoutMs: 200 },
    )
    closers.push(source.close)
    await expect(source()).rejects.toMatchObject({ code: 'Timeout', retryable: true })
    expect(sts.requests).toHaveLength(0)
  })

  it('maps an invalid identity token to StsRejected 400', async () => {
    await sts.close()
    sts = await startStsEmulator({ verifyWebIdentityToken: () => false })
    await expect(make({ RoleArn: ROLE, WebIdentityToken: 'rejected' })()).rejects.toMatchObject({
      code: 'StsRejected',
      statusCode: 400,
      source: 'fromWebIdentity',
    })
  })
})
