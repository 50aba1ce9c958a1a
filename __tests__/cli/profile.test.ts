import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { stsSourceArgs } from '../support/credentialProcess'
import { codeAt } from '../support/stsFixture'
import { fakeTerminal, runIn, tempDir } from './cliFixture'

const ACCOUNT = '123456789012'
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`

describe('credential-process --profile NAME', () => {
  let sts: StsEmulator
  let dir: ReturnType<typeof tempDir>
  beforeEach(async () => {
    sts = await startStsEmulator({ roles: [{ arn: role('inner') }, { arn: role('admin'), mfaRequired: true }] })
    dir = tempDir()
    writeFileSync(
      join(dir.path, 'credentials'),
      `[me]\naws_access_key_id = ${sts.baseCredentials.accessKeyId}\naws_secret_access_key = ${sts.baseCredentials.secretAccessKey}\n`,
    )
    writeFileSync(
      join(dir.path, 'config'),
      [
        '[profile inner]',
        `role_arn = ${role('inner')}`,
        'source_profile = me',
        '[profile admin]',
        `role_arn = ${role('admin')}`,
        'source_profile = inner',
        `mfa_serial = ${sts.mfa.serialNumber}`,
      ].join('\n'),
    )
  })
  afterEach(async () => {
    dir.remove()
    await sts.close()
  })

  const run = (args: string[], terminal?: ReturnType<typeof fakeTerminal>) =>
    runIn(['credential-process', ...stsSourceArgs(sts, join(dir.path, 'cache')), ...args], {
      env: { AWS_CONFIG_FILE: join(dir.path, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir.path, 'credentials') },
      ...(terminal ? { openTerminal: terminal.open } : {}),
    })

  it("runs the profile's chain, asks for the MFA code of its mfa_serial once, and serves the next run from the cache", async () => {
    const terminal = fakeTerminal(() => codeAt(sts, Date.now()))
    const first = await run(['--profile', 'admin'], terminal)
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ Version: 1, AccountId: ACCOUNT })
    expect(terminal.opened()).toBe(1)
    expect(terminal.shown()).toContain(sts.mfa.serialNumber)
    const second = await run(['--profile', 'admin'], terminal)
    expect(second.code).toBe(0)
    expect(terminal.opened()).toBe(1)
    expect(sts.requests.map((r) => [r.action, r.params['RoleArn'], r.params['TokenCode'] !== undefined])).toEqual([
      ['AssumeRole', role('inner'), false],
      ['AssumeRole', role('admin'), true],
    ])
  })

  it('names a missing profile, and --base-profile goes through the same profile reader', async () => {
    const missing = await run(['--profile', 'nobody'])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('profile "nobody" is not in the shared config or credentials file')
    const base = await run(['--assume-role', role('inner'), '--base-profile', 'me'])
    expect(base.code).toBe(0)
    expect(sts.requests.at(-1)).toMatchObject({
      action: 'AssumeRole',
      accessKeyId: sts.baseCredentials.accessKeyId,
      status: 200,
    })
  })
})
