import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { codeAt, rawSignedRequest, stsClient } from '../support/stsFixture'

const ACCOUNT = '123456789012'
const OPEN_ROLE = `arn:aws:iam::${ACCOUNT}:role/open`
const MFA_ROLE = `arn:aws:iam::${ACCOUNT}:role/mfa`
const CLOSED_ROLE = `arn:aws:iam::${ACCOUNT}:role/closed`
const CHAINED_ROLE = `arn:aws:iam::${ACCOUNT}:role/chained`

describe('startStsEmulator', () => {
  let clock = Date.now()
  let sts: StsEmulator
  const clients: STSClient[] = []
  const client = (...args: Parameters<typeof stsClient> extends [unknown, ...infer R] ? R : never): STSClient => {
    const c = stsClient(sts, ...args)
    clients.push(c)
    return c
  }

  beforeEach(async () => {
    clock = Date.now()
    sts = await startStsEmulator({
      now: () => clock,
      roles: [
        { arn: OPEN_ROLE, maxSessionDurationSeconds: 43_200 },
        { arn: MFA_ROLE, mfaRequired: true },
        { arn: CLOSED_ROLE, principals: ['arn:aws:iam::999999999999:user/other'] },
        { arn: CHAINED_ROLE, principals: [OPEN_ROLE] },
      ],
    })
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await sts.close()
  })

  const assume = (c: STSClient, input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) =>
    c.send(new AssumeRoleCommand({ RoleArn: OPEN_ROLE, RoleSessionName: 'test', ...input }))

  it('answers GetCallerIdentity signed by the base user with the user ARN', async () => {
    const out = await client().send(new GetCallerIdentityCommand({}))
    expect(out).toMatchObject({ Account: ACCOUNT, Arn: sts.userArn })
  })

  it('refuses a request signed with a wrong secret key with SignatureDoesNotMatch 403', async () => {
    const bad = client({ ...sts.baseCredentials, secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret00' })
    await expect(bad.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    })
  })

  it('refuses a body changed after signing, through the x-amz-content-sha256 check', async () => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15'
    const ok = await rawSignedRequest(sts, body)
    expect(ok.status).toBe(200)
    const tampered = await rawSignedRequest(sts, body, { tamperBody: 'Action=GetSessionToken&Version=2011-06-15' })
    expect(tampered.status).toBe(400)
    expect(tampered.body).toContain('XAmzContentSHA256Mismatch')
  })

  it('refuses an unknown access key with InvalidClientTokenId', async () => {
    const unknown = client({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) })
    await expect(unknown.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' })
  })

  it('refuses a request dated more than 5 minutes from its clock with SignatureDoesNotMatch and a Date header', async () => {
    const res = await rawSignedRequest(sts, 'Action=GetCallerIdentity&Version=2011-06-15', {
      signingDate: new Date(clock - 6 * 60_000),
    })
    expect(res.status).toBe(403)
    expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code>')
    expect(new Date(String(res.headers['date'])).getTime()).toBeCloseTo(clock, -4)
  })

  it('lets the SDK correct a skewed clock from the Date header', async () => {
    sts.setSkewMs(20 * 60_000)
    const c = client(undefined, { maxAttempts: 2 })
    await expect(c.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: sts.userArn })
    expect(sts.requests.map((r) => r.errorCode)).toEqual(['SignatureDoesNotMatch', undefined])
  })

  it('issues session keys it then accepts, and refuses them with ExpiredToken once expired', async () => {
    const { Credentials } = await assume(client(), { DurationSeconds: 900 })
    const session = {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    }
    const c = client(session)
    await expect(c.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/open/test`,
    })
    clock += 901_000
    sts.setSkewMs(0)
    const late = client(session, { systemClockOffset: 901_000 })
    await expect(late.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' })
  })

  it('issues credentials with the configured lifetime, even below the 900 s floor of real STS', async () => {
    await sts.close()
    sts = await startStsEmulator({ now: () => clock, credentialLifetimeSeconds: 5 })
    const { Credentials } = await client().send(
      new AssumeRoleCommand({ RoleArn: sts.roleArns[0], RoleSessionName: 'short' }),
    )
    expect(Credentials!.Expiration!.getTime()).toBe(Math.floor((clock + 5000) / 1000) * 1000)
  })

  it('refuses AssumeRole to a principal the role does not trust', async () => {
    await expect(assume(client(), { RoleArn: CLOSED_ROLE })).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    })
  })

  it('lets a trusted role session chain into another role, capped at one hour', async () => {
    const { Credentials: c1 } = await assume(client())
    const chained = client({
      accessKeyId: c1!.AccessKeyId!,
      secretAccessKey: c1!.SecretAccessKey!,
      sessionToken: c1!.SessionToken!,
    })
    await expect(assume(chained, { RoleArn: CHAINED_ROLE })).resolves.toMatchObject({
      AssumedRoleUser: { Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/chained/test` },
    })
    await expect(assume(chained, { RoleArn: CHAINED_ROLE, DurationSeconds: 7200 })).rejects.toMatchObject({
      name: 'ValidationError',
    })
    await expect(assume(client(), { RoleArn: CHAINED_ROLE })).rejects.toMatchObject({ name: 'AccessDenied' })
  })

  it('refuses DurationSeconds outside 900 to the role maximum with ValidationError', async () => {
    await expect(assume(client(), { DurationSeconds: 899 })).rejects.toMatchObject({ name: 'ValidationError' })
    await expect(assume(client(), { RoleArn: MFA_ROLE, DurationSeconds: 3601 })).rejects.toMatchObject({
      name: 'ValidationError',
    })
  })

  it('requires MFA for an MFA role, accepts a valid TOTP code once and refuses it when reused', async () => {
    const c = client()
    await expect(assume(c, { RoleArn: MFA_ROLE })).rejects.toMatchObject({ name: 'AccessDenied' })
    const TokenCode = codeAt(sts, clock)
    const mfa = { RoleArn: MFA_ROLE, SerialNumber: sts.mfa.serialNumber, TokenCode }
    await expect(assume(c, mfa)).resolves.toMatchObject({
      AssumedRoleUser: { Arn: expect.stringContaining('assumed-role/mfa/') },
    })
    await expect(assume(c, mfa)).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('invalid MFA one time pass code'),
    })
  })

  it('refuses a wrong MFA code and an unknown serial with AccessDenied', async () => {
    const wrong = String((Number(codeAt(sts, clock)) + 1) % 1_000_000).padStart(6, '0')
    await expect(
      assume(client(), { RoleArn: MFA_ROLE, SerialNumber: sts.mfa.serialNumber, TokenCode: wrong }),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('MultiFactorAuthentication failed'),
    })
    await expect(
      assume(client(), { RoleArn: MFA_ROLE, SerialNumber: 'arn:aws:iam::1:mfa/nobody', TokenCode: codeAt(sts, clock) }),
    ).rejects.toMatchObject({ name: 'AccessDenied' })
  })

  it('answers GetSessionToken for the base user and refuses it for session credentials', async () => {
    const out = await client().send(
      new GetSessionTokenCommand({
        SerialNumber: sts.mfa.serialNumber,
        TokenCode: codeAt(sts, clock),
        DurationSeconds: 129_600,
      }),
    )
    const creds = out.Credentials!
    expect(creds.Expiration!.getTime()).toBeGreaterThan(clock + 129_000_000)
    const session = client({
      accessKeyId: creds.AccessKeyId!,
      secretAccessKey: creds.SecretAccessKey!,
      sessionToken: creds.SessionToken!,
    })
    await expect(session.send(new GetSessionTokenCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' })
  })

  it('answers AssumeRoleWithWebIdentity unsigned and refuses a token its verifier rejects', async () => {
    await sts.close()
    sts = await startStsEmulator({ verifyWebIdentityToken: (t) => t !== 'bad-token' })
    const anonymous = new STSClient({ endpoint: sts.endpoint, region: sts.region, maxAttempts: 1 })
    clients.push(anonymous)
    const input = { RoleArn: sts.roleArns[0], RoleSessionName: 'web', WebIdentityToken: 'good-token' }
    await expect(anonymous.send(new AssumeRoleWithWebIdentityCommand(input))).resolves.toMatchObject({
      SubjectFromWebIdentityToken: 'emulator-subject',
    })
    expect(sts.requests[0]).toMatchObject({ action: 'AssumeRoleWithWebIdentity', accessKeyId: undefined })
    expect(sts.requests[0]!.headers['authorization']).toBeUndefined()
    await expect(
      anonymous.send(new AssumeRoleWithWebIdentityCommand({ ...input, WebIdentityToken: 'bad-token' })),
    ).rejects.toMatchObject({ name: 'InvalidIdentityTokenException' })
  })

  it('records each request with its action, decoded parameters, signing key id and headers', async () => {
    await assume(client(), { RoleSessionName: 'rec', Tags: [{ Key: 'a b', Value: 'c+d' }], PolicyArns: [] })
    expect(sts.requests).toHaveLength(1)
    expect(sts.requests[0]).toMatchObject({
      action: 'AssumeRole',
      status: 200,
      accessKeyId: sts.baseCredentials.accessKeyId,
      params: { RoleSessionName: 'rec', 'Tags.member.1.Key': 'a b', 'Tags.member.1.Value': 'c+d', PolicyArns: '' },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    sts.clearRequests()
    expect(sts.requests).toHaveLength(0)
  })

  it('delays one request per use of a delay fault, and counts the requests in flight', async () => {
    sts.inject({ type: 'delay', ms: 100, action: 'GetCallerIdentity', count: 2 })
    const c = client()
    const inFlightMidway = async (): Promise<number> => {
      const seen = sts.requests.length
      const call = c.send(new GetCallerIdentityCommand({}))
      while (sts.requests.length === seen) await new Promise((r) => setImmediate(r))
      await new Promise((r) => setTimeout(r, 20))
      const n = sts.inFlight()
      await call
      return n
    }
    // One after the other: each of the two delayed requests is still in flight 20 ms in.
    expect([await inFlightMidway(), await inFlightMidway(), await inFlightMidway()]).toEqual([1, 1, 0])
    sts.inject({ type: 'delay', ms: 100, action: 'GetCallerIdentity', count: 3 })
    await Promise.all(Array.from({ length: 3 }, () => c.send(new GetCallerIdentityCommand({}))))
    expect(sts.inFlight()).toBe(0)
    expect(sts.peakInFlight()).toBe(3)
    sts.clearRequests()
    expect(sts.peakInFlight()).toBe(0)
  })

  it('escapes text in its XML answers', async () => {
    const res = await rawSignedRequest(sts, 'Action=%3Cx%26y%3E&Version=2011-06-15')
    expect(res.status).toBe(400)
    expect(res.body).toContain('operation &lt;x&amp;y&gt; for')
  })
})

describe('startStsEmulator MFA time step', () => {
  it('checks codes with the configured periodSeconds, refusing codes of the 30 s step', async () => {
    const { STSClient, GetSessionTokenCommand } = await import('@aws-sdk/client-sts')
    const { totpCode } = await import('../../lib/internal/otp')
    const { startStsEmulator: start } = await import('../../lib/testing/startStsEmulator')
    const sts = await start({ mfa: { periodSeconds: 5 } })
    const client = new STSClient({
      region: sts.region,
      endpoint: sts.endpoint,
      credentials: sts.baseCredentials,
      maxAttempts: 1,
    })
    try {
      const send = (code: string) =>
        client.send(new GetSessionTokenCommand({ SerialNumber: sts.mfa.serialNumber, TokenCode: code }))
      const nowSeconds = Math.floor(Date.now() / 1000)
      const thirtySecondCode = totpCode(sts.mfa.secret, nowSeconds, 30)
      const fiveSecondCode = totpCode(sts.mfa.secret, nowSeconds, 5)
      if (thirtySecondCode !== fiveSecondCode)
        await expect(send(thirtySecondCode)).rejects.toMatchObject({ name: 'AccessDenied' })
      await expect(send(fiveSecondCode)).resolves.toMatchObject({ Credentials: expect.any(Object) })
    } finally {
      client.destroy()
      await sts.close()
    }
  })
})
