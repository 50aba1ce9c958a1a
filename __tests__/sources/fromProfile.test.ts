import { chmodSync, writeFileSync } from 'node:fs'
import { pipe } from 'fp-ts/function'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fromProfile } from '../../lib/sources/fromProfile'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { withMfa } from '../../lib/transforms/withMfa'
import { codeAt } from '../support/stsFixture'
import { useTempAwsFiles } from '../support/tempAwsFiles'

const ACCOUNT = '123456789012'
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`
const ENV = ['AWS_PROFILE', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const

describe('fromProfile (real files, against the STS emulator)', () => {
  let sts: StsEmulator
  const aws = useTempAwsFiles('ars-profile-', ENV)
  const closers: (() => void)[] = []
  beforeEach(async () => {
    sts = await startStsEmulator({
      roles: ['one', 'two', 'three', 'web']
        .map((n) => ({ arn: role(n) }))
        .concat({ arn: role('mfa'), mfaRequired: true } as never),
    })
  })
  afterEach(async () => {
    for (const c of closers.splice(0)) c()
    await sts.close()
  })

  const write = (
    config: string,
    credentials = `[base]\naws_access_key_id = ${sts.baseCredentials.accessKeyId}\naws_secret_access_key = ${sts.baseCredentials.secretAccessKey}\n`,
  ): void => {
    writeFileSync(aws.file('config'), config)
    writeFileSync(aws.file('credentials'), credentials)
  }
  const source = (name?: string, options: Parameters<typeof fromProfile>[1] = {}) => {
    const s = fromProfile(name, { clientConfig: { endpoint: sts.endpoint, maxAttempts: 1 }, ...options })
    closers.push(s.close)
    return s
  }
  const assumeRoles = () => sts.requests.filter((r) => r.action === 'AssumeRole')
  const scopeRegion = (headers: Record<string, unknown>) =>
    /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(headers['authorization']))?.[1]

  it('gives the static keys of a profile of the credentials file, without STS', async () => {
    write('')
    await expect(source('base')()).resolves.toEqual({
      accessKeyId: sts.baseCredentials.accessKeyId,
      secretAccessKey: sts.baseCredentials.secretAccessKey,
    })
    expect(sts.requests).toHaveLength(0)
  })

  it('chains three roles through source_profile, each hop signed by the one before, with the profile settings and region', async () => {
    write(
      [
        '[profile one]',
        `role_arn = ${role('one')}`,
        'source_profile = base',
        'mfa_serial = arn:aws:iam::123456789012:mfa/ignored-on-inner-hops',
        '[profile two]',
        `role_arn = ${role('two')}`,
        'source_profile = one',
        'external_id = ext-two',
        '[profile three]',
        `role_arn = ${role('three')}`,
        'source_profile = two',
        'role_session_name = three-session',
        'duration_seconds = 1800',
        'region = eu-central-1',
      ].join('\n'),
    )
    const creds = await source('three')()
    expect(creds.accountId).toBe(ACCOUNT)
    const calls = assumeRoles()
    expect(calls.map((r) => r.params['RoleArn'])).toEqual([role('one'), role('two'), role('three')])
    expect(calls[0]!.accessKeyId).toBe(sts.baseCredentials.accessKeyId)
    expect(calls[1]!.accessKeyId).not.toBe(calls[0]!.accessKeyId)
    expect(calls[1]!.params['ExternalId']).toBe('ext-two')
    expect(calls[2]!.params).toMatchObject({ RoleSessionName: 'three-session', DurationSeconds: '1800' })
    expect(calls.every((r) => r.params['TokenCode'] === undefined)).toBe(true)
    expect(calls.map((r) => scopeRegion(r.headers))).toEqual(['eu-central-1', 'eu-central-1', 'eu-central-1'])
  })

  it('with mfa_serial it is MFA-capable: withMfa asks once for many concurrent calls, and only the last hop sends the code', async () => {
    write(
      [
        '[profile inner]',
        `role_arn = ${role('one')}`,
        'source_profile = base',
        '[profile admin]',
        `role_arn = ${role('mfa')}`,
        'source_profile = inner',
        `mfa_serial = ${sts.mfa.serialNumber}`,
      ].join('\n'),
    )
    let prompts = 0
    const s = source('admin')
    expect(s.mfaSerialNumber).toBe(sts.mfa.serialNumber)
    const credentials = pipe(
      s,
      withMfa(() => (prompts++, codeAt(sts, Date.now()))),
      withRefresh(),
    )
    closers.push(credentials.close)
    const all = await Promise.all(Array.from({ length: 5 }, () => credentials()))
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1)
    expect(prompts).toBe(1)
    expect(
      assumeRoles().map((r) => [r.params['RoleArn'], r.params['SerialNumber'], r.params['TokenCode'] !== undefined]),
    ).toEqual([
      [role('one'), undefined, false],
      [role('mfa'), sts.mfa.serialNumber, true],
    ])
  })

  it('without withMfa, a profile with mfa_serial fails with MfaRequired', async () => {
    write(
      [
        '[profile admin]',
        `role_arn = ${role('mfa')}`,
        'source_profile = base',
        `mfa_serial = ${sts.mfa.serialNumber}`,
      ].join('\n'),
    )
    await expect(source('admin')()).rejects.toMatchObject({ code: 'MfaRequired' })
  })

  it('defaults to AWS_PROFILE, then default', async () => {
    write(
      `[default]\nrole_arn = ${role('one')}\nsource_profile = base\n[profile other]\nrole_arn = ${role('two')}\nsource_profile = base\n`,
    )
    await source()()
    process.env['AWS_PROFILE'] = 'other'
    await source()()
    expect(assumeRoles().map((r) => r.params['RoleArn'])).toEqual([role('one'), role('two')])
  })

  it('credential_source Environment uses the SDK environment provider as the base', async () => {
    write(`[profile env]\nrole_arn = ${role('one')}\ncredential_source = Environment\n`, '')
    process.env['AWS_ACCESS_KEY_ID'] = sts.baseCredentials.accessKeyId
    process.env['AWS_SECRET_ACCESS_KEY'] = sts.baseCredentials.secretAccessKey
    await source('env')()
    expect(assumeRoles()[0]!.accessKeyId).toBe(sts.baseCredentials.accessKeyId)
  })

  it('a credential_process profile (here as a source_profile) is delegated to the SDK fromProcess', async () => {
    const script = aws.file('creds.js')
    // The SDK runs it with exec(), whose environment is the real process's, not Jest's copy.
    writeFileSync(
      script,
      `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(sts.baseCredentials.accessKeyId)}, SecretAccessKey: ${JSON.stringify(sts.baseCredentials.secretAccessKey)} }))`,
    )
    chmodSync(script, 0o700)
    write(
      `[profile proc]\ncredential_process = ${process.execPath} ${script}\n[profile app]\nrole_arn = ${role('one')}\nsource_profile = proc\n`,
      '',
    )
    await source('app')()
    expect(assumeRoles()[0]!.accessKeyId).toBe(sts.baseCredentials.accessKeyId)
  })

  it('role_arn with web_identity_token_file calls AssumeRoleWithWebIdentity', async () => {
    const tokenFile = aws.file('token')
    writeFileSync(tokenFile, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')
    write(`[profile web]\nrole_arn = ${role('web')}\nweb_identity_token_file = ${tokenFile}\n`, '')
    await expect(source('web')()).resolves.toMatchObject({ accountId: ACCOUNT })
    expect(sts.requests.map((r) => r.action)).toEqual(['AssumeRoleWithWebIdentity'])
  })

  it.each([
    ['missing', '', /profile "missing" is not in the shared config/],
    [
      'loop',
      '[profile loop]\nrole_arn = R\nsource_profile = other\n[profile other]\nrole_arn = R\nsource_profile = loop\n',
      /profile "other" makes a source_profile cycle: loop -> other -> loop/,
    ],
    ['bare', `[profile bare]\nrole_arn = ${role('one')}\n`, /profile "bare" has role_arn but neither/],
    [
      'both',
      `[profile both]\nrole_arn = ${role('one')}\nsource_profile = base\ncredential_source = Environment\n`,
      /profile "both" sets both/,
    ],
    [
      'odd',
      `[profile odd]\nrole_arn = ${role('one')}\ncredential_source = Somewhere\n`,
      /profile "odd" has credential_source "Somewhere"/,
    ],
    [
      'long',
      `[profile long]\nrole_arn = ${role('one')}\nsource_profile = base\nduration_seconds = 99999\n`,
      /profile "long" has duration_seconds outside/,
    ],
    ['half', '[profile half]\naws_access_key_id = AKIAHALF\n', /profile "half" needs both/],
    ['empty', '[profile empty]\nregion = eu-west-1\n', /profile "empty" holds no credentials/],
    [
      'badarn',
      '[profile badarn]\nrole_arn = short\nsource_profile = base\n',
      /profile "badarn" is not valid: fromAssumeRole: RoleArn/,
    ],
    [
      'deep',
      '[profile deep]\nrole_arn = arn:aws:iam::123456789012:role/one\nsource_profile = nowhere\n',
      /profile "nowhere" \(source_profile of "deep"\) is not in/,
    ],
  ])(
    'refuses the bad profile %s with InvalidConfiguration naming it, at the first call',
    async (name, config, message) => {
      write(config)
      const s = source(name)
      const error = await s().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'InvalidConfiguration', source: 'fromProfile' })
      expect((error as Error).message).toMatch(message)
      expect(sts.requests).toHaveLength(0)
    },
  )

  it('checks its arguments at construction, before reading any file', () => {
    for (const [profile, options] of [
      [''],
      [42],
      ['p', null],
      ['p', { filepath: 3 }],
      ['p', { logger: {} }],
      ['p', { timeoutMs: -1 }],
    ] as const)
      expect(() => fromProfile(profile as never, options as never)).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration' }),
      )
  })

  it('a failed resolution is not kept: fixing the file makes the next call work', async () => {
    write('[profile later]\nrole_arn = x\n')
    const s = source('later')
    await expect(s()).rejects.toMatchObject({ code: 'InvalidConfiguration' })
    write(`[profile later]\nrole_arn = ${role('one')}\nsource_profile = base\n`)
    await expect(s()).resolves.toMatchObject({ accountId: ACCOUNT })
  })
})
