import { createServer, type Server, type Socket } from 'node:net'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { ConfiguredRetryStrategy } from '@smithy/core/retry'
import { pipe } from 'fp-ts/function'
import { totp } from '../../lib/mfa/totp'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { fromSessionToken } from '../../lib/sources/fromSessionToken'
import { fromWebIdentity } from '../../lib/sources/fromWebIdentity'
import { startStsEmulator, type StsEmulator, type StsFault } from '../../lib/testing/startStsEmulator'
import { withMfa } from '../../lib/transforms/withMfa'
import { withRetry } from '../../lib/transforms/withRetry'
import { withTimeout } from '../../lib/transforms/withTimeout'
import type { AwsCredentialIdentity } from '../../lib/types'
import { clientConfigFor } from '../support/stsFixture'

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`
const MFA_ROLE = `arn:aws:iam::${ACCOUNT}:role/admin`
const CHAINED_ROLE = `arn:aws:iam::${ACCOUNT}:role/chained`
const BASE = { accessKeyId: 'AKIACANARYBASEKEY000', secretAccessKey: 'CANARYbaseSECRETkey0000000000000000000000' }

describe('STS sources against the emulator (integration)', () => {
  let sts: StsEmulator
  let clock: number
  const cleanups: (() => void)[] = []
  /** Every secret seen in the test: no error message may contain one. */
  const secrets = new Set<string>([BASE.secretAccessKey])
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason)

  beforeAll(() => process.on('unhandledRejection', onUnhandled))
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled)
    expect(unhandled).toEqual([])
  })
  beforeEach(async () => {
    clock = Date.now()
    sts = await startStsEmulator({
      baseCredentials: BASE,
      now: () => clock,
      roles: [{ arn: ROLE }, { arn: MFA_ROLE, mfaRequired: true }, { arn: CHAINED_ROLE, principals: [ROLE] }],
    })
  })
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c()
    await sts.close()
  })

  const remember = (creds: AwsCredentialIdentity): AwsCredentialIdentity => {
    secrets.add(creds.secretAccessKey)
    if (creds.sessionToken) secrets.add(creds.sessionToken)
    return creds
  }
  const options = (extra: Parameters<typeof fromAssumeRole>[1] = {}) => ({
    source: async () => BASE,
    clientConfig: clientConfigFor(sts),
    ...extra,
  })
  const assumeRole = (
    params: Parameters<typeof fromAssumeRole>[0] = { RoleArn: ROLE },
    extra?: Parameters<typeof fromAssumeRole>[1],
  ) => {
    const source = fromAssumeRole(params, options(extra))
    cleanups.push(source.close)
    return source
  }
  const failure = async (p: Promise<unknown>): Promise<Error & { code: string }> => {
    const error = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { code: string }
    expect(error).toBeDefined()
    const text = `${error.message} ${String(error)}`
    for (const s of secrets) expect(text).not.toContain(s)
    return error
  }
  const mfaTotp = () => totp(sts.mfa.secret, { now: () => clock, sleep: async (ms) => void (clock += ms) })

  it('sends every AssumeRole parameter to the wire', async () => {
    const source = pipe(
      assumeRole({
        RoleArn: MFA_ROLE,
        RoleSessionName: 'wire-test',
        DurationSeconds: 1800,
        ExternalId: 'ext-id:1/a',
        Policy: '{"Version":"2012-10-17"}',
        PolicyArns: [
          { arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
          { arn: 'arn:aws:iam::aws:policy/ViewOnlyAccess' },
        ],
        Tags: [{ Key: 'team', Value: 'a b+c' }],
        TransitiveTagKeys: ['team'],
        SourceIdentity: 'alice',
        SerialNumber: sts.mfa.serialNumber,
        ProvidedContexts: [
          { ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: 'assertion' },
        ],
      }),
      withMfa(mfaTotp()),
    )
    remember(await source())
    expect(sts.requests[0]!.params).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: MFA_ROLE,
      RoleSessionName: 'wire-test',
      'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'PolicyArns.member.2.arn': 'arn:aws:iam::aws:policy/ViewOnlyAccess',
      Policy: '{"Version":"2012-10-17"}',
      DurationSeconds: '1800',
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'a b+c',
      'TransitiveTagKeys.member.1': 'team',
      ExternalId: 'ext-id:1/a',
      SerialNumber: sts.mfa.serialNumber,
      TokenCode: expect.stringMatching(/^\d{6}$/),
      SourceIdentity: 'alice',
      'ProvidedContexts.member.1.ProviderArn': 'arn:aws:iam::aws:contextProvider/IdentityCenter',
      'ProvidedContexts.member.1.ContextAssertion': 'assertion',
    })
    expect(sts.requests[0]!.status).toBe(200)
  })

  it("chains roles: the second AssumeRole is signed with the first role's keys", async () => {
    const first = withRefresh({ background: false })(assumeRole({ RoleArn: ROLE }))
    cleanups.push(first.close)
    const second = assumeRole({ RoleArn: CHAINED_ROLE }, { source: first })
    const creds = remember(await second())
    const firstKey = first.current()!.accessKeyId
    remember(first.current()!)
    expect(sts.requests.map((r) => [r.action, r.accessKeyId])).toEqual([
      ['AssumeRole', BASE.accessKeyId],
      ['AssumeRole', firstKey],
    ])
    const whoami = new STSClient({ ...clientConfigFor(sts), credentials: creds })
    cleanups.push(() => whoami.destroy())
    await expect(whoami.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Arn: expect.stringContaining('assumed-role/chained/'),
    })
  })

  it('fails an MFA-required role without a code, and succeeds with withMfa(totp)', async () => {
    const rejected = await failure(assumeRole({ RoleArn: MFA_ROLE })())
    expect(rejected).toMatchObject({ code: 'StsRejected', statusCode: 403 })
    await expect(assumeRole({ RoleArn: MFA_ROLE, SerialNumber: sts.mfa.serialNumber })()).rejects.toMatchObject({
      code: 'MfaRequired',
    })
    const source = pipe(assumeRole({ RoleArn: MFA_ROLE, SerialNumber: sts.mfa.serialNumber }), withMfa(mfaTotp()))
    await expect(source().then(remember)).resolves.toMatchObject({ accountId: ACCOUNT })
  })

  it('never lets the SDK resend a code: an MFA call makes one attempt, and withRetry after withMfa asks for a new code', async () => {
    const codes: string[] = []
    const provider = mfaTotp()
    const counting = async (serial: string): Promise<string> => {
      const code = await provider(serial)
      codes.push(code)
      clock += 30_000 // the next ask gets the next TOTP step at once
      return code
    }
    const sdkDefaults = { endpoint: sts.endpoint, region: sts.region } // no maxAttempts: the SDK's default 3
    sts.inject({ type: 'status', status: 503, action: 'AssumeRole', count: 1 })
    const once = pipe(
      fromAssumeRole(
        { RoleArn: MFA_ROLE, SerialNumber: sts.mfa.serialNumber },
        { source: async () => BASE, clientConfig: sdkDefaults },
      ),
      withMfa(counting),
    )
    cleanups.push(() => once.close?.())
    await expect(once()).rejects.toMatchObject({ code: 'ServiceUnavailable', retryable: true })
    expect(sts.requests.filter((r) => r.action === 'AssumeRole')).toHaveLength(1)

    sts.clearRequests()
    sts.inject({ type: 'status', status: 503, action: 'AssumeRole', count: 1 })
    const retried = pipe(
      fromAssumeRole(
        { RoleArn: MFA_ROLE, SerialNumber: sts.mfa.serialNumber },
        { source: async () => BASE, clientConfig: sdkDefaults },
      ),
      withMfa(counting),
      withRetry({ baseMs: 0 }),
    )
    cleanups.push(() => retried.close?.())
    remember(await retried())
    const sent = sts.requests.filter((r) => r.action === 'AssumeRole').map((r) => r.params['TokenCode'])
    expect(sent).toHaveLength(2)
    expect(new Set(sent).size).toBe(2)
  })

  it.each([
    ['an explicit maxAttempts', { maxAttempts: 5 }],
    ['a retryStrategy', { retryStrategy: new ConfiguredRetryStrategy(5, 0) }],
    ['an explicit maxAttempts and retryMode', { maxAttempts: 4, retryMode: 'adaptive' }],
  ])('sends a code once whatever the client config: %s', async (_, extra) => {
    const clientConfig = { endpoint: sts.endpoint, region: sts.region, ...extra }
    const source = fromAssumeRole(
      { RoleArn: MFA_ROLE, SerialNumber: sts.mfa.serialNumber },
      { source: async () => BASE, clientConfig },
    )
    cleanups.push(() => source.close())
    sts.inject({ type: 'status', status: 503, action: 'AssumeRole', count: 1 })
    await expect(pipe(source, withMfa(mfaTotp()))()).rejects.toMatchObject({ code: 'ServiceUnavailable' })
    expect(sts.requests.filter((r) => r.action === 'AssumeRole')).toHaveLength(1)
  })

  it('sends a code once also when the same source was first called without MFA, and still retries calls without one', async () => {
    const clientConfig = { endpoint: sts.endpoint, region: sts.region } // the SDK's default 3 attempts
    const source = fromAssumeRole({ RoleArn: ROLE }, { source: async () => BASE, clientConfig })
    cleanups.push(() => source.close())
    sts.inject({ type: 'status', status: 503, action: 'AssumeRole', count: 1 })
    remember(await source()) // no MFA: the SDK retried the 503
    expect(sts.requests.filter((r) => r.action === 'AssumeRole')).toHaveLength(2)
    sts.clearRequests()
    sts.inject({ type: 'status', status: 503, action: 'AssumeRole', count: 1 })
    const code = await mfaTotp()('serial')
    secrets.add(code)
    await expect(source({ mfa: { serialNumber: sts.mfa.serialNumber, tokenCode: code } })).rejects.toMatchObject({
      code: 'ServiceUnavailable',
    })
    expect(sts.requests.filter((r) => r.action === 'AssumeRole')).toHaveLength(1)
  })

  it('never sends a code twice: totp waits for the next step, and a repeating provider fails with MfaCodeReused before any request', async () => {
    const source = pipe(assumeRole({ RoleArn: MFA_ROLE, SerialNumber: sts.mfa.serialNumber }), withMfa(mfaTotp()))
    remember(await source())
    remember(await source())
    const sent = sts.requests.map((r) => r.params['TokenCode'])
    expect(new Set(sent).size).toBe(2)
    expect(sts.requests.every((r) => r.status === 200)).toBe(true)

    sts.clearRequests()
    clock += 30_000
    const code = mfaTotp()
    const fixed = await code('serial')
    const repeating = pipe(
      assumeRole({ RoleArn: MFA_ROLE, SerialNumber: sts.mfa.serialNumber }),
      withMfa(() => fixed),
    )
    remember(await repeating())
    secrets.add(fixed)
    const reused = await failure(repeating())
    expect(reused).toMatchObject({ code: 'MfaCodeReused' })
    expect(sts.requests).toHaveLength(1)
  })

  it('maps a wrong MFA code to MfaCodeInvalid without the code in the message', async () => {
    const real = await mfaTotp()('serial')
    const wrong = String((Number(real) + 500_000) % 1_000_000).padStart(6, '0')
    secrets.add(wrong)
    const source = pipe(
      fromSessionToken({ SerialNumber: sts.mfa.serialNumber }, options()),
      withMfa(() => wrong),
    )
    cleanups.push(() => source.close?.())
    expect(await failure(source())).toMatchObject({ code: 'MfaCodeInvalid', statusCode: 403 })
  })

  const faults: [string, StsFault, object][] = [
    ['throttling', { type: 'throttle' }, { code: 'Throttled', retryable: true, statusCode: 400 }],
    ['HTTP 500', { type: 'status', status: 500 }, { code: 'ServiceUnavailable', retryable: true, statusCode: 500 }],
    ['HTTP 503', { type: 'status', status: 503 }, { code: 'ServiceUnavailable', retryable: true, statusCode: 503 }],
    ['a connection reset', { type: 'reset' }, { code: 'NetworkError', retryable: true }],
    ['malformed XML', { type: 'malformed' }, { code: 'SourceFailed', statusCode: 200 }],
    ['already-expired credentials', { type: 'expiredCredentials' }, { code: 'Expired' }],
    [
      'ExpiredToken for the base key',
      { type: 'expiredToken', accessKeyId: BASE.accessKeyId },
      { code: 'StsRejected', statusCode: 403, cause: { name: 'ExpiredToken' } },
    ],
  ]

  it.each(faults)(
    'gives a typed CredentialError for %s, with the SDK error as cause',
    async (_name, fault, expected) => {
      sts.inject({ ...fault, action: 'AssumeRole' })
      const error = await failure(assumeRole()())
      expect(error).toMatchObject({ name: 'CredentialError', source: 'fromAssumeRole', ...expected })
      expect((error as { cause?: unknown }).cause ?? fault.type === 'expiredCredentials').toBeTruthy()
    },
  )

  it.each(faults.filter(([, , e]) => (e as { retryable?: boolean }).retryable))(
    'recovers from %s through withRetry',
    async (_name, fault) => {
      sts.inject({ ...fault, count: 2 })
      const source = pipe(assumeRole(), withRetry({ retries: 2, baseMs: 0, maxMs: 0 }))
      await expect(source().then(remember)).resolves.toMatchObject({ accountId: ACCOUNT })
      expect(sts.requests.map((r) => r.status)).toEqual([expect.any(Number), expect.any(Number), 200])
    },
  )

  it('fails a delayed answer with Timeout through withTimeout, aborting the request', async () => {
    sts.inject({ type: 'delay', ms: 60_000 })
    const error = await failure(pipe(assumeRole(), withTimeout(20))())
    expect(error).toMatchObject({ code: 'Timeout' })
  })

  it('serves the cached value when a refresh in the mandatory window meets a fault, and never an unhandled rejection', async () => {
    let now = Date.now()
    const events: string[] = []
    const provider = withRefresh({ now: () => now, background: false, onEvent: (e) => void events.push(e.type) })(
      assumeRole(),
    )
    cleanups.push(provider.close)
    const first = remember(await provider())
    now = first.expiration!.getTime() - 30_000
    sts.inject({ type: 'status', status: 503, count: Infinity })
    await expect(provider()).resolves.toBe(first)
    expect(sts.requests.map((r) => r.status)).toEqual([200, 503])
  })

  it('clears its deadline timer after a normal call', async () => {
    const timeoutMs = 4_321 // a delay no other timer uses
    const set = jest.spyOn(global, 'setTimeout')
    const clear = jest.spyOn(global, 'clearTimeout')
    try {
      remember(await assumeRole({ RoleArn: ROLE }, { timeoutMs })())
      const deadlines = set.mock.calls.flatMap(([, ms], i) =>
        ms === timeoutMs ? [set.mock.results[i]!.value as unknown] : [],
      )
      expect(deadlines).toHaveLength(1)
      expect(clear.mock.calls.map(([t]) => t)).toContain(deadlines[0])
    } finally {
      set.mockRestore()
      clear.mockRestore()
    }
  })

  it('refuses a request signed with a wrong secret, through a real client', async () => {
    const wrong = new STSClient({
      ...clientConfigFor(sts),
      credentials: { ...BASE, secretAccessKey: `x${BASE.secretAccessKey.slice(1)}` },
    })
    cleanups.push(() => wrong.destroy())
    await expect(wrong.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' })
  })
})

describe('STS sources against a server that accepts and never answers (integration)', () => {
  let server: Server
  let endpoint: string
  const sockets: Socket[] = []
  beforeAll(async () => {
    server = createServer((socket) => void sockets.push(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  })

  const stalled = { region: 'us-east-1', timeoutMs: 100 }
  const sources = [
    [
      'fromAssumeRole',
      () => fromAssumeRole({ RoleArn: ROLE }, { ...stalled, source: async () => BASE, clientConfig: { endpoint } }),
    ],
    [
      'fromSessionToken',
      () => fromSessionToken({}, { ...stalled, source: async () => BASE, clientConfig: { endpoint } }),
    ],
    [
      'fromWebIdentity',
      () =>
        fromWebIdentity({ RoleArn: ROLE, WebIdentityToken: 'token-1234' }, { ...stalled, clientConfig: { endpoint } }),
    ],
  ] as const

  it.each(sources)(
    '%s fails with Timeout (retryable) within timeoutMs, also through withRefresh',
    async (name, make) => {
      const source = make()
      const provider = withRefresh({ background: false })(source)
      const started = Date.now()
      await expect(provider()).rejects.toMatchObject({ code: 'Timeout', retryable: true, source: name })
      const elapsed = Date.now() - started
      expect(elapsed).toBeGreaterThanOrEqual(90)
      expect(elapsed).toBeLessThan(2_000)
      provider.close()
      source.close()
    },
  )
})
