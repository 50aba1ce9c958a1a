import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { cliCacheKey, toProcessJson } from '../../lib/cli/cachedOutput'
import { defaultCacheDir, entryName, isFresh, readEntry as readCache } from '../../lib/internal/fileCache/entry'
import { writeEntry } from '../../lib/internal/fileCache/writeEntry'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { stsSourceArgs, type ProcessJson } from '../support/credentialProcess'
import { codeAt } from '../support/stsFixture'
import { fakeTerminal, runIn, tempDir, type CliRun } from './cliFixture'

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`
const MFA_ROLE = `arn:aws:iam::${ACCOUNT}:role/mfa`
const MINUTE = 60_000

describe('credential-process', () => {
  let clock = Date.now()
  let sts: StsEmulator
  let cache: ReturnType<typeof tempDir>
  const secrets: string[] = []

  beforeEach(async () => {
    clock = Date.now()
    // The emulator shares the test clock; a wide skew lets the SDK sign with real time.
    sts = await startStsEmulator({
      now: () => clock,
      maxSkewMs: 7 * 24 * 60 * MINUTE,
      roles: [{ arn: ROLE }, { arn: MFA_ROLE, mfaRequired: true }],
    })
    cache = tempDir()
    secrets.push(sts.baseCredentials.secretAccessKey, sts.mfa.secret)
  })
  afterEach(async () => {
    cache.remove()
    await sts.close()
  })

  const calls = (action = 'AssumeRole'): number => sts.requests.filter((r) => r.action === action).length

  const run = async (
    extra: string[],
    io: Parameters<typeof runIn>[1] = {},
  ): Promise<CliRun & { json: ProcessJson }> => {
    const r = await runIn(['credential-process', ...stsSourceArgs(sts, cache.path), ...extra], {
      now: () => clock,
      baseCredentials: async () => sts.baseCredentials,
      ...io,
    })
    const json = r.code === 0 ? (JSON.parse(r.stdout) as ProcessJson) : ({} as ProcessJson)
    if (r.code === 0) secrets.push(json.SecretAccessKey, json.SessionToken)
    // Canaries: no secret ever reaches stderr.
    for (const s of secrets) expect(r.stderr).not.toContain(s)
    return { ...r, json }
  }

  it('prints the credential_process JSON (Version 1, ISO Expiration, AccountId) from STS AssumeRole', async () => {
    const r = await run([
      '--assume-role',
      ROLE,
      '--role-session-name',
      'cli-test',
      '--external-id',
      'ext-1',
      '--duration-seconds',
      '900',
    ])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.json).toEqual({
      Version: 1,
      AccessKeyId: expect.stringMatching(/^ASIA/),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
      Expiration: new Date(clock + 900_000).toISOString().replace(/\.\d+Z$/, '.000Z'),
      AccountId: ACCOUNT,
    })
    expect(sts.requests.at(-1)?.params).toMatchObject({
      RoleArn: ROLE,
      RoleSessionName: 'cli-test',
      ExternalId: 'ext-1',
      DurationSeconds: '900',
    })
  })

  it('serves a second run within validity from the cache, without calling STS', async () => {
    const first = await run(['--assume-role', ROLE])
    clock += 30 * MINUTE
    const second = await run(['--assume-role', ROLE])
    expect(second.stdout).toBe(first.stdout)
    expect(calls()).toBe(1)
  })

  it('calls STS again once the cached credentials are due for refresh (withRefresh advisory window)', async () => {
    await run(['--assume-role', ROLE]) // 1 h: advisory window 15 min
    clock += 44 * MINUTE
    await run(['--assume-role', ROLE])
    expect(calls()).toBe(1)
    clock += 2 * MINUTE
    const due = await run(['--assume-role', ROLE])
    expect(calls()).toBe(2)
    expect(new Date(due.json.Expiration).getTime()).toBeGreaterThan(clock + 59 * MINUTE)
  })

  it('asks for an MFA code only when it calls STS', async () => {
    const terminal = fakeTerminal(() => codeAt(sts, clock))
    const args = ['--assume-role', MFA_ROLE, '--mfa-serial', sts.mfa.serialNumber]
    await run(args, { openTerminal: terminal.open })
    expect(terminal.opened()).toBe(1)
    expect(terminal.shown()).toContain(`MFA code for ${sts.mfa.serialNumber}: `)
    clock += 10 * MINUTE
    await run(args, { openTerminal: terminal.open })
    expect(terminal.opened()).toBe(1)
    clock += 40 * MINUTE
    const refreshed = await run(args, { openTerminal: terminal.open })
    expect(refreshed.code).toBe(0)
    expect(terminal.opened()).toBe(2)
    expect(sts.requests.filter((q) => q.params['TokenCode'] !== undefined)).toHaveLength(2)
  })

  it('computes TOTP codes from the base32 secret in the environment variable --mfa-totp-secret-env names', async () => {
    const r = await run(['--session-token', '--mfa-serial', sts.mfa.serialNumber, '--mfa-totp-secret-env', 'MY_MFA'], {
      env: { MY_MFA: sts.mfa.secret },
    })
    expect(r.code).toBe(0)
    expect(sts.requests.at(-1)).toMatchObject({
      action: 'GetSessionToken',
      status: 200,
      params: { SerialNumber: sts.mfa.serialNumber, TokenCode: codeAt(sts, clock) },
    })
    expect(r.stdout + r.stderr).not.toContain(codeAt(sts, clock))
  })

  it('runs --mfa-command without a shell and takes the code it prints', async () => {
    const command = `${process.execPath} -e "process.stdout.write('code: ' + process.env.CODE_FOR_TEST + '\\\\n')"`
    const r = await run(['--assume-role', MFA_ROLE, '--mfa-serial', sts.mfa.serialNumber, '--mfa-command', command], {
      env: { CODE_FOR_TEST: codeAt(sts, clock) },
    })
    expect(r.code).toBe(0)
    expect(sts.requests.at(-1)).toMatchObject({ status: 200, params: { TokenCode: codeAt(sts, clock) } })
  })

  it('reads the base credentials of --base-profile from the shared credentials file named in its environment', async () => {
    const file = join(cache.path, 'credentials')
    writeFileSync(
      file,
      `[base]\naws_access_key_id = ${sts.baseCredentials.accessKeyId}\naws_secret_access_key = ${sts.baseCredentials.secretAccessKey}\n`,
    )
    const env = { AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(cache.path, 'none') }
    const r = await run(['--assume-role', ROLE, '--base-profile', 'base'], { env, baseCredentials: undefined })
    expect(r.code).toBe(0)
    expect(sts.requests.at(-1)).toMatchObject({
      action: 'AssumeRole',
      accessKeyId: sts.baseCredentials.accessKeyId,
      status: 200,
    })
    const missing = await run(['--assume-role', ROLE, '--base-profile', 'nobody'], { env, baseCredentials: undefined })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(
      /^aws-refresh-session: fromProfile: profile "nobody" is not in the shared config or credentials file \[InvalidConfiguration\]/,
    )
  })

  it('fails with exit 1 and the reason, without prompting, when an MFA code is needed and there is no terminal', async () => {
    const r = await run(['--assume-role', MFA_ROLE, '--mfa-serial', sts.mfa.serialNumber])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      `aws-refresh-session: no terminal to ask for the MFA code of ${sts.mfa.serialNumber}; give --mfa-totp-secret-env NAME or --mfa-command "CMD" [MfaRequired]\n`,
    )
    expect(calls()).toBe(0)
  })

  it('reports an STS refusal with exit 1 and the STS error, no stack trace', async () => {
    const r = await run(['--assume-role', `arn:aws:iam::${ACCOUNT}:role/unknown`])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/fromAssumeRole: STS AssumeRole: HTTP \d{3} .*\[StsRejected\]/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('serves still-valid cached credentials with a warning when the refresh fails, and fails once they expired', async () => {
    const first = await run(['--assume-role', ROLE])
    const failing = async (): Promise<never> => {
      throw new Error('base credentials unavailable')
    }
    clock += 50 * MINUTE
    const stale = await run(['--assume-role', ROLE], { baseCredentials: failing })
    expect(stale.code).toBe(0)
    expect(stale.stdout).toBe(first.stdout)
    expect(stale.stderr).toMatch(
      /^aws-refresh-session: warning: could not refresh \(.*\); serving the cached credentials, valid until /,
    )
    clock += 11 * MINUTE
    const expired = await run(['--assume-role', ROLE], { baseCredentials: failing })
    expect(expired.code).toBe(1)
    expect(expired.stdout).toBe('')
  })

  it('keys the cache on the source options: different options never share a file', async () => {
    await run(['--assume-role', ROLE])
    await run(['--assume-role', ROLE, '--duration-seconds', '900'])
    await run(['--session-token'])
    await run(['--assume-role', ROLE])
    expect(readdirSync(cache.path).sort()).toHaveLength(3)
    expect(calls() + calls('GetSessionToken')).toBe(3)
    for (const name of readdirSync(cache.path)) expect(name).toMatch(/^[0-9a-f]{64}\.json$/)
  })

  it('writes the cache file with mode 0600 in a 0700 directory, atomically (a new file renamed over the old)', async () => {
    const dir = join(cache.path, 'nested')
    await run(['--assume-role', ROLE, '--cache-dir', dir])
    const [name] = readdirSync(dir)
    const path = join(dir, name!)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    const inode = statSync(path).ino
    clock += 50 * MINUTE
    await run(['--assume-role', ROLE, '--cache-dir', dir])
    expect(statSync(path).ino).not.toBe(inode)
    expect(readdirSync(dir)).toEqual([name]) // no temporary file left behind
  })

  it('treats a corrupt cache file as a miss and overwrites it', async () => {
    await run(['--assume-role', ROLE])
    const [name] = readdirSync(cache.path)
    writeFileSync(join(cache.path, name!), '{"Format":1,"AccessKeyId":')
    const r = await run(['--assume-role', ROLE])
    expect(r.code).toBe(0)
    expect(calls()).toBe(2)
    expect(readCache(join(cache.path, name!))?.credentials.accessKeyId).toBe(r.json.AccessKeyId)
  })

  it('calls the source every time and writes nothing with --no-cache', async () => {
    const args = ['credential-process', '--no-cache', '--endpoint-url', sts.endpoint, '--assume-role', ROLE]
    const io = { now: () => clock, baseCredentials: async () => sts.baseCredentials }
    expect((await runIn(args, io)).code).toBe(0)
    expect((await runIn(args, io)).code).toBe(0)
    expect(calls()).toBe(2)
    expect(readdirSync(cache.path)).toEqual([])
  })

  it('builds an unsigned web identity source from the token file', async () => {
    const token = join(cache.path, 'token.jwt')
    writeFileSync(token, 'header.payload.signature\n')
    const ok = await runIn(
      [
        'credential-process',
        '--no-cache',
        '--endpoint-url',
        sts.endpoint,
        '--web-identity',
        '--role-arn',
        ROLE,
        '--web-identity-token-file',
        token,
      ],
      { now: () => clock },
    )
    expect(ok.code).toBe(0)
    expect(sts.requests.at(-1)).toMatchObject({
      action: 'AssumeRoleWithWebIdentity',
      accessKeyId: undefined,
      params: { WebIdentityToken: 'header.payload.signature' },
    })
  })
})

describe('the cache file', () => {
  it('names files by a sha256 of the key, never by a secret; the key holds the flags, the identity environment and the AWS files', () => {
    const dir = tempDir()
    try {
      const key = (env: NodeJS.ProcessEnv, cwd = '/w'): string =>
        entryName(cliCacheKey(['--assume-role', ROLE, '--config', 'c.json'], env, cwd, dir.path))
      const a = key({})
      expect(a).toMatch(/^[0-9a-f]{64}\.json$/)
      expect(key({ UNRELATED: 'x' })).toBe(a)
      for (const name of [
        'AWS_PROFILE',
        'AWS_ACCESS_KEY_ID',
        'AWS_SHARED_CREDENTIALS_FILE',
        'AWS_CONFIG_FILE',
        'AWS_ENDPOINT_URL_STS',
        'AWS_REGION',
        'AWS_ROLE_ARN',
        'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      ])
        expect(key({ [name]: 'other' })).not.toBe(a)
      expect(key({}, '/elsewhere')).not.toBe(a) // --config c.json is another file there
      mkdirSync(join(dir.path, '.aws'))
      writeFileSync(join(dir.path, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAONE\n')
      const one = key({})
      writeFileSync(join(dir.path, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIATWO\n')
      expect(key({})).not.toBe(one)
      expect(one).not.toBe(a)
    } finally {
      dir.remove()
    }
  })

  it('defaults to our own directory: AWS_REFRESH_SESSION_CACHE_DIR, XDG_CACHE_HOME, ~/.cache', () => {
    expect(defaultCacheDir({ AWS_REFRESH_SESSION_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/c')
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/x/aws-refresh-session')
    expect(defaultCacheDir({}, '/home/u', 'linux')).toBe('/home/u/.cache/aws-refresh-session')
  })

  it('is due by the advisory window scaled to the lifetime, as withRefresh', () => {
    const entry = (lifetimeMs: number) => ({
      credentials: { accessKeyId: 'A', secretAccessKey: 'S', expiration: new Date(lifetimeMs) },
      issuedAt: 0,
    })
    const isDue = (e: ReturnType<typeof entry>, now: number): boolean => !isFresh(e, now)
    expect(isDue(entry(60 * MINUTE), 45 * MINUTE - 1)).toBe(false)
    expect(isDue(entry(60 * MINUTE), 45 * MINUTE)).toBe(true)
    expect(isDue(entry(15 * MINUTE), 10 * MINUTE - 1)).toBe(false)
    expect(isDue(entry(2 * MINUTE), MINUTE)).toBe(true) // capped at half the lifetime
    expect(isDue(entry(3 * 60 * MINUTE), 2 * 60 * MINUTE - 1)).toBe(false)
  })

  it('reads back what it wrote and ignores files of another shape', () => {
    const dir = tempDir()
    try {
      const path = join(dir.path, 'x.json')
      const credentials = {
        accessKeyId: 'ASIA1',
        secretAccessKey: 'S',
        sessionToken: 'T',
        expiration: new Date(2_000_000),
        accountId: ACCOUNT,
      }
      writeEntry(path, dir.path, { credentials, issuedAt: 1_000_000 })
      expect(readCache(path)).toEqual({ credentials, issuedAt: 1_000_000 })
      for (const bad of [
        '',
        'null',
        '{"Format":2}',
        JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), Expiration: 'soon' }),
      ]) {
        writeFileSync(path, bad)
        expect(readCache(path)).toBeUndefined()
      }
      expect(readCache(join(dir.path, 'missing.json'))).toBeUndefined()
    } finally {
      dir.remove()
    }
  })

  it('keeps the entry names 0.2.0 wrote, for keys of every shape (any key order, undefined dropped, holes, dates)', () => {
    const cli = { cli: 1, argv: ['--assume-role', ROLE], env: { AWS_PROFILE: null }, files: { config: null } }
    const odd = {
      b: 1,
      // eslint-disable-next-line no-sparse-arrays
      a: [1, undefined, 'x', , null],
      é: 'e',
      Z: { y: undefined, x: new Date(0), w: [{ q: 1 }] },
      '': 0,
    }
    expect(entryName('role')).toBe('2bc933aff12616c117d39070602306f8e3ab07ec9924f3519a7750e60883dcb2.json')
    expect(entryName(odd)).toBe('9fe1024b57e86997dd3c07fa87d7e784ce58d14cad733a13c3c1a984208dc8fa.json')
    expect(entryName({ format: 1, key: cli, source: 'aws-refresh-session', mfaSerialNumber: undefined })).toBe(
      '4992b9de15addd03a698c64c46639a9f4156325e07db7f854c709dc86f5b1a52.json',
    )
  })

  it('prints Expiration exactly as toISOString does, for any date', () => {
    const base = { accessKeyId: 'A', secretAccessKey: 'S' }
    fc.assert(
      fc.property(
        fc.oneof(
          fc.date({
            min: new Date('0000-01-01T00:00:00.000Z'),
            max: new Date('9999-12-31T23:59:59.999Z'),
            noInvalidDate: true,
          }),
          fc.date({ noInvalidDate: true }),
        ),
        (expiration) => {
          const printed = JSON.parse(toProcessJson({ ...base, expiration })) as ProcessJson
          return printed.Expiration === expiration.toISOString()
        },
      ),
      { numRuns: 500 },
    )
    expect(JSON.parse(toProcessJson(base))).not.toHaveProperty('Expiration')
  })
})
