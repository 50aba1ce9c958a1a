import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseFlags } from '../../lib/cli/flags'
import { renderError } from '../../lib/cli/runCli'
import { CredentialError } from '../../lib/errors'
import { withConfig } from '../../lib/cli/loadConfig'
import { packageVersion } from '../../lib/cli/packageVersion'
import { sourceSpec } from '../../lib/cli/sourceSpec'
import { splitCommand } from '../../lib/cli/splitCommand'
import { runIn, tempDir } from './cliFixture'

const ROLE = 'arn:aws:iam::123456789012:role/app'
const SERIAL = 'arn:aws:iam::123456789012:mfa/me'

const expectUsage = async (argv: string[], message: RegExp, env: NodeJS.ProcessEnv = {}): Promise<void> => {
  const r = await runIn(argv, { env })
  expect(r).toMatchObject({ code: 2, stdout: '' })
  expect(r.stderr).toMatch(message)
  expect(r.stderr).not.toMatch(/\n\s+at /) // never a stack trace
  expect(r.stderr.startsWith('aws-refresh-session: ')).toBe(true)
}

describe('runCli help and version', () => {
  it('prints the general help with both subcommands and the exit codes for --help and help', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await runIn(argv)
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('credential-process SOURCE')
      expect(r.stdout).toContain('serve SOURCE')
      expect(r.stdout).toContain('--assume-role ARN')
      expect(r.stdout).toContain('Exit codes: 0 success, 1 no credentials')
    }
  })

  it('prints each subcommand help with its own options and examples', async () => {
    const cp = await runIn(['credential-process', '--help'])
    expect(cp.code).toBe(0)
    expect(cp.stdout).toContain('--no-cache')
    expect(cp.stdout).toContain('credential_process = aws-refresh-session credential-process')
    const serve = await runIn(['help', 'serve'])
    expect(serve.code).toBe(0)
    expect(serve.stdout).toContain('--port N')
    expect(serve.stdout).toContain('export AWS_CONTAINER_AUTHORIZATION_TOKEN=')
    expect((await runIn(['serve', '-h'])).stdout).toBe(serve.stdout)
  })

  it('prints the version for --version, found from the package.json above the CLI', async () => {
    expect(await runIn(['--version'])).toEqual({ code: 0, stdout: '9.9.9-test\n', stderr: '' })
    expect(packageVersion(join(__dirname, '..', '..', 'lib', 'cli'))).toMatch(/^\d+\.\d+\.\d+/)
    expect(packageVersion('/')).toBe('unknown')
  })

  it('exits 2 with the help on stderr when no command is given', async () => {
    const r = await runIn([])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Usage:')
  })
})

describe('runCli usage errors (exit 2, one clear line, no stack)', () => {
  it('names an unknown command', () =>
    expectUsage(['fetch'], /unknown command 'fetch'; the commands are credential-process, serve/))

  it('names an unknown flag and points to the subcommand help', () =>
    expectUsage(
      ['credential-process', '--assume-role', ROLE, '--role', 'x'],
      /unknown option '--role'; run 'aws-refresh-session credential-process --help'/,
    ))

  it('says a flag needs a value', () => expectUsage(['serve', '--assume-role'], /option '--assume-role' needs a value/))

  it('refuses a stray argument without echoing free text', async () => {
    await expectUsage(
      ['credential-process', '--session-token', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'],
      /unexpected argument; every value belongs to a --flag/,
    )
  })

  it('asks for a source when none is given, and for only one', async () => {
    await expectUsage(
      ['credential-process'],
      /no source: give one of --assume-role ARN, --session-token, --web-identity, --iot, --roles-anywhere or --profile NAME/,
    )
    await expectUsage(
      ['credential-process', '--assume-role', ROLE, '--session-token'],
      /give only one source; got --assume-role and --session-token/,
    )
  })

  it('refuses a flag that does not apply to the source', async () => {
    await expectUsage(
      ['credential-process', '--session-token', '--external-id', 'x'],
      /--external-id does not apply to --session-token/,
    )
    await expectUsage(
      ['credential-process', '--assume-role', ROLE, '--role-arn', ROLE],
      /--role-arn does not apply to --assume-role; give the role as --assume-role ARN/,
    )
  })

  it('names missing required flags', async () => {
    await expectUsage(
      ['credential-process', '--web-identity', '--role-arn', ROLE],
      /--web-identity needs --web-identity-token-file/,
    )
    await expectUsage(['serve', '--iot', '--role-alias', 'a', '--certificate', 'c.pem'], /--iot needs --private-key/)
  })

  it('checks numbers and ranges', async () => {
    await expectUsage(
      ['credential-process', '--assume-role', ROLE, '--duration-seconds', '60'],
      /--duration-seconds must be a whole number from 900 to 43200/,
    )
    await expectUsage(['serve', '--session-token', '--port', '70000'], /--port must be a whole number from 0 to 65535/)
  })

  it('passes on the library validation of the role ARN as a usage error', () =>
    expectUsage(['credential-process', '--assume-role', 'not-an-arn'], /fromAssumeRole: .*RoleArn/))

  it('takes MFA secrets only from the environment, never as a flag value', async () => {
    const withSerial = ['credential-process', '--assume-role', ROLE, '--mfa-serial', SERIAL]
    await expectUsage(
      [...withSerial, '--mfa-totp-secret-env', 'JBSWY3DPEHPK3PXP='],
      /takes the NAME of an environment variable/,
    )
    await expectUsage(
      [...withSerial, '--mfa-totp-secret-env', 'MFA_SECRET'],
      /the environment variable MFA_SECRET is not set/,
    )
    await expectUsage(
      ['credential-process', '--assume-role', ROLE, '--mfa-totp-secret-env', 'MFA_SECRET'],
      /--mfa-totp-secret-env needs --mfa-serial/,
    )
    await expectUsage(
      [...withSerial, '--mfa-command', 'op x', '--mfa-totp-secret-env', 'S'],
      /only one of --mfa-totp-secret-env and --mfa-command/,
    )
  })

  it('refuses --cache-dir together with --no-cache', () =>
    expectUsage(
      ['credential-process', '--session-token', '--cache-dir', '/tmp/x', '--no-cache'],
      /only one of --cache-dir and --no-cache/,
    ))
})

describe('--config', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())
  const file = (name: string, content: string): string => {
    const path = join(dir.path, name)
    writeFileSync(path, content)
    return path
  }

  it('reads the source flags from a JSON file, resolves its paths against the file, and lets flags win', () => {
    const path = file(
      'wi.json',
      JSON.stringify({
        'web-identity': true,
        'role-arn': ROLE,
        'web-identity-token-file': 'token.jwt',
        'duration-seconds': 900,
      }),
    )
    const flags = withConfig(
      parseFlags('credential-process', ['--config', path, '--duration-seconds', '1800']),
      '/elsewhere',
    )
    expect(sourceSpec(flags, {}, '/elsewhere').spec).toEqual({
      kind: 'web-identity',
      roleArn: ROLE,
      webIdentityTokenFile: join(dir.path, 'token.jwt'),
      durationSeconds: 1800,
    })
  })

  it('accepts mfa-command as an argv array', () => {
    const path = file(
      'mfa.json',
      JSON.stringify({ 'assume-role': ROLE, 'mfa-serial': SERIAL, 'mfa-command': ['op', 'item get', '--otp'] }),
    )
    const cli = sourceSpec(withConfig(parseFlags('serve', ['--config', path]), dir.path), {}, dir.path)
    expect(cli.secrets).toEqual({ mfaCommand: ['op', 'item get', '--otp'] })
    expect(cli.spec).toEqual({ kind: 'assume-role', roleArn: ROLE, mfaSerial: SERIAL })
  })

  it('refuses unknown keys, wrong types, bad JSON and a missing file as usage errors', async () => {
    await expectUsage(
      ['credential-process', '--config', file('a.json', '{"assume-role": "x", "secret": "y"}')],
      /unknown key "secret"/,
    )
    await expectUsage(
      ['credential-process', '--config', file('b.json', '{"session-token": "yes"}')],
      /"session-token" .* must be true or false/,
    )
    await expectUsage(
      ['credential-process', '--config', file('c.json', '{"assume-role": AKIASECRETVALUE')],
      /is not valid JSON$/m,
    )
    await expectUsage(['credential-process', '--config', file('d.json', '[1]')], /must hold a JSON object/)
    await expectUsage(
      ['credential-process', '--config', join(dir.path, 'missing.json')],
      /cannot read .*missing\.json \(ENOENT\)/,
    )
    const bad = await runIn(['credential-process', '--config', join(dir.path, 'c.json')])
    expect(bad.stderr).not.toContain('AKIASECRETVALUE')
  })
})

describe('sourceSpec', () => {
  it('takes the web identity role and token file from AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE', () => {
    const cli = sourceSpec(
      parseFlags('serve', ['--web-identity']),
      { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: 'rel/token' },
      '/base',
    )
    expect(cli.spec).toEqual({ kind: 'web-identity', roleArn: ROLE, webIdentityTokenFile: '/base/rel/token' })
  })

  it('keeps how secrets are obtained out of the spec (the cache key material)', () => {
    const cli = sourceSpec(
      parseFlags('serve', ['--session-token', '--mfa-serial', SERIAL, '--mfa-totp-secret-env', 'MFA']),
      {},
      '/',
    )
    expect(cli.spec).toEqual({ kind: 'session-token', mfaSerial: SERIAL })
    expect(cli.secrets).toEqual({ mfaTotpSecretEnv: 'MFA' })
  })
})

describe('splitCommand', () => {
  it('splits words like a shell without running one', () => {
    expect(splitCommand(`op item get 'AWS root' --otp`)).toEqual(['op', 'item', 'get', 'AWS root', '--otp'])
    expect(splitCommand(`ykman oath accounts code -s "a \\"b\\" c" x\\ y`)).toEqual([
      'ykman',
      'oath',
      'accounts',
      'code',
      '-s',
      'a "b" c',
      'x y',
    ])
    expect(splitCommand(`  a  ''  `)).toEqual(['a', ''])
  })

  it('refuses an unclosed quote', () => expect(() => splitCommand(`op "x`)).toThrow(/unclosed quote/))
})

describe('renderError', () => {
  it('names a missing optional package and how to install it', () => {
    const missing = Object.assign(new Error("Cannot find module '@aws-sdk/client-sts'\nRequire stack:\n- /x.js"), {
      code: 'MODULE_NOT_FOUND',
    })
    expect(renderError(missing, false)).toBe(
      'aws-refresh-session: this source needs the package @aws-sdk/client-sts; install it where aws-refresh-session is installed (npm install @aws-sdk/client-sts)\n',
    )
    const wrapped = new CredentialError('fromAssumeRole: failed', {
      code: 'SourceFailed',
      source: 'fromAssumeRole',
      cause: missing,
    })
    expect(renderError(wrapped, false)).toContain('needs the package @aws-sdk/client-sts')
  })

  it('gives the code and a redacted cause for a credential error, and redacts unexpected errors', () => {
    const cause = new Error('signature of wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY refused')
    expect(
      renderError(new CredentialError('fromX: refused', { code: 'StsRejected', source: 'fromX', cause }), false),
    ).toBe('aws-refresh-session: fromX: refused [StsRejected]\n  cause: Error: signature of *** refused\n')
    expect(renderError(cause, false)).toBe('aws-refresh-session: unexpected error: Error: signature of *** refused\n')
  })
})
