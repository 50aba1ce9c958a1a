import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { clientConfigFor, codeAt } from '../support/stsFixture'

const ROLE = 'arn:aws:iam::123456789012:role/emulator-role'

describe('fromAssumeRole', () => {
  let sts: StsEmulator
  const closers: (() => void)[] = []
  beforeEach(async () => {
    sts = await startStsEmulator()
  })
  afterEach(async () => {
    for (const close of closers.splice(0)) close()
    await sts.close()
  })
  const make = (
    params: Parameters<typeof fromAssumeRole>[0] = { RoleArn: ROLE },
    options: Parameters<typeof fromAssumeRole>[1] = {},
  ) => {
    const source = fromAssumeRole(params, {
      source: async () => sts.baseCredentials,
      clientConfig: clientConfigFor(sts),
      ...options,
    })
    closers.push(source.close)
    return source
  }

  it.each([
    ['RoleArn', { RoleArn: 'short' }],
    ['RoleSessionName', { RoleArn: ROLE, RoleSessionName: 'has space' }],
    ['RoleSessionName', { RoleArn: ROLE, RoleSessionName: 'x'.repeat(65) }],
    ['DurationSeconds', { RoleArn: ROLE, DurationSeconds: 899 }],
    ['DurationSeconds', { RoleArn: ROLE, DurationSeconds: 43_201 }],
    ['ExternalId', { RoleArn: ROLE, ExternalId: 'bad#id' }],
    ['SerialNumber', { RoleArn: ROLE, SerialNumber: 'short' }],
    ['Policy', { RoleArn: ROLE, Policy: '' }],
    ['PolicyArns', { RoleArn: ROLE, PolicyArns: Array.from({ length: 11 }, () => ({ arn: ROLE })) }],
    ['Tags', { RoleArn: ROLE, Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }],
    ['SourceIdentity', { RoleArn: ROLE, SourceIdentity: 'x' }],
    ['TokenCode', { RoleArn: ROLE, TokenCode: '123456' }],
  ])('rejects an invalid %s at construction with InvalidConfiguration naming it', (name, params) => {
    expect(() => fromAssumeRole(params as never)).toThrow(
      expect.objectContaining({
        code: 'InvalidConfiguration',
        source: 'fromAssumeRole',
        message: expect.stringContaining(name),
      }),
    )
  })

  it.each([
    ['params', undefined, undefined],
    ['params', null, undefined],
    ['params', 'arn:aws:iam::123456789012:role/r', undefined],
    ['params', [ROLE], undefined],
    ['options', { RoleArn: ROLE }, null],
    ['options', { RoleArn: ROLE }, 'us-east-1'],
    ['options.region', { RoleArn: ROLE }, { region: '' }],
    ['options.region', { RoleArn: ROLE }, { region: 42 }],
    ['options.source', { RoleArn: ROLE }, { source: { accessKeyId: 'AKIA', secretAccessKey: 'CANARY' } }],
    ['options.clientConfig', { RoleArn: ROLE }, { clientConfig: 'http://localhost' }],
    ['options.clientConfig', { RoleArn: ROLE }, { clientConfig: null }],
    ['options.timeoutMs', { RoleArn: ROLE }, { timeoutMs: 0 }],
    ['options.timeoutMs', { RoleArn: ROLE }, { timeoutMs: -1 }],
    ['options.timeoutMs', { RoleArn: ROLE }, { timeoutMs: Number.NaN }],
    ['options.timeoutMs', { RoleArn: ROLE }, { timeoutMs: Infinity }],
    ['options.timeoutMs', { RoleArn: ROLE }, { timeoutMs: 2 ** 31 }],
    ['options.timeoutMs', { RoleArn: ROLE }, { timeoutMs: '100' }],
  ])(
    'rejects a bad %s at construction with InvalidConfiguration naming it, before any I/O',
    (name, params, options) => {
      expect(() => fromAssumeRole(params as never, options as never)).toThrow(
        expect.objectContaining({
          name: 'CredentialError',
          code: 'InvalidConfiguration',
          source: 'fromAssumeRole',
          message: expect.stringContaining(name),
        }),
      )
    },
  )

  it('accepts timeoutMs from 1 ms up to 2^31-1 ms', () => {
    expect(() => make({ RoleArn: ROLE }, { timeoutMs: 1 })).not.toThrow()
    expect(() => make({ RoleArn: ROLE }, { timeoutMs: 2 ** 31 - 1 })).not.toThrow()
  })

  it('never echoes a parameter value in a validation message', () => {
    expect(() => fromAssumeRole({ RoleArn: ROLE, ExternalId: 'CANARY-secret#value' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('CANARY') }),
    )
  })

  it('generates a valid RoleSessionName when none is given', async () => {
    await make()()
    expect(sts.requests[0]!.params['RoleSessionName']).toMatch(/^[\w+=,.@-]{2,64}$/)
  })

  it('returns the credentials with expiration as a Date and accountId from the assumed-role ARN', async () => {
    const creds = await make()()
    expect(creds).toMatchObject({
      accessKeyId: expect.stringMatching(/^ASIA/),
      sessionToken: expect.any(String),
      accountId: '123456789012',
    })
    expect(creds.expiration).toBeInstanceOf(Date)
  })

  it('creates its STS client once and reuses it until close()', async () => {
    const base = jest.fn(async () => sts.baseCredentials)
    const source = make({ RoleArn: ROLE }, { source: base })
    await source()
    await source()
    await Promise.all([source(), source()])
    expect(base).toHaveBeenCalledTimes(1)
    source.close()
    await source()
    expect(base).toHaveBeenCalledTimes(2)
  })

  it('takes its region from options.region before clientConfig.region and the calling client', async () => {
    await make(
      { RoleArn: ROLE },
      { region: 'eu-west-2', clientConfig: { ...clientConfigFor(sts), region: 'ap-south-1' } },
    )({
      callerClientConfig: { region: async () => 'sa-east-1' },
    })
    expect(sts.requests[0]!.headers['authorization']).toContain('/eu-west-2/sts/aws4_request')
  })

  it("takes the calling client's region when neither option sets one", async () => {
    const { region: _omit, ...noRegion } = clientConfigFor(sts)
    await make(
      { RoleArn: ROLE },
      { clientConfig: noRegion },
    )({ callerClientConfig: { region: async () => 'sa-east-1' } })
    expect(sts.requests[0]!.headers['authorization']).toContain('/sa-east-1/sts/aws4_request')
  })

  it('exposes SerialNumber as mfaSerialNumber', () => {
    expect(make({ RoleArn: ROLE, SerialNumber: sts.mfa.serialNumber }).mfaSerialNumber).toBe(sts.mfa.serialNumber)
    expect(make().mfaSerialNumber).toBeUndefined()
  })

  it('fails with MfaRequired before any request when SerialNumber is set and no code is given', async () => {
    await expect(make({ RoleArn: ROLE, SerialNumber: sts.mfa.serialNumber })()).rejects.toMatchObject({
      code: 'MfaRequired',
      source: 'fromAssumeRole',
    })
    expect(sts.requests).toHaveLength(0)
  })

  it('sends SerialNumber and TokenCode from context.mfa', async () => {
    const tokenCode = codeAt(sts, Date.now())
    await make({ RoleArn: ROLE, SerialNumber: sts.mfa.serialNumber })({
      mfa: { serialNumber: sts.mfa.serialNumber, tokenCode },
    })
    expect(sts.requests[0]!.params).toMatchObject({ SerialNumber: sts.mfa.serialNumber, TokenCode: tokenCode })
  })

  it('fails with Aborted, before any request, when context.signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(make()({ signal: controller.signal })).rejects.toMatchObject({ code: 'Aborted' })
    expect(sts.requests).toHaveLength(0)
  })

  it('passes context.signal to the SDK: aborting mid-request fails with Aborted, a timeout reason with Timeout', async () => {
    sts.inject({ type: 'delay', ms: 60_000, count: 2 })
    const source = make()
    const abortMidway = async (reason: unknown) => {
      const controller = new AbortController()
      const call = source({ signal: controller.signal })
      const seen = sts.requests.length
      while (sts.requests.length === seen) await new Promise((r) => setImmediate(r))
      controller.abort(reason)
      return call
    }
    await expect(abortMidway(undefined)).rejects.toMatchObject({ code: 'Aborted', source: 'fromAssumeRole' })
    await expect(abortMidway(Object.assign(new Error('slow'), { name: 'TimeoutError' }))).rejects.toMatchObject({
      code: 'Timeout',
    })
  })

  it('maps an STS refusal to StsRejected with the HTTP status and the SDK error as cause', async () => {
    const error = await make({ RoleArn: 'arn:aws:iam::123456789012:role/unknown' })().catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'StsRejected',
      statusCode: 403,
      retryable: false,
      source: 'fromAssumeRole',
      cause: { name: 'AccessDenied' },
    })
  })
})

describe('fromAssumeRole base credentials', () => {
  it('reports a failing base provider as SourceFailed (not a network error) without retrying', async () => {
    const { CredentialsProviderError } = await import('@smithy/property-provider')
    const { fromAssumeRole: make } = await import('../../lib/sources/fromAssumeRole')
    const source = make(
      { RoleArn: 'arn:aws:iam::123456789012:role/r' },
      {
        region: 'us-east-1',
        clientConfig: { endpoint: 'http://127.0.0.1:9' },
        source: async () => {
          throw new CredentialsProviderError('Could not load credentials from any providers')
        },
      },
    )
    await expect(source()).rejects.toMatchObject({
      code: 'SourceFailed',
      retryable: false,
      message: expect.stringMatching(/no base credentials/),
    })
    source.close?.()
  })
})
