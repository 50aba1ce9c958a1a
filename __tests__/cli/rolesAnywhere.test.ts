// The CLI's --roles-anywhere source as users run it: a child process (lib/cli/main.ts through
// tsx) with the flag names of AWS's aws_signing_helper, against the emulator in this process.
import { execFile, spawn } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startRolesAnywhereEmulator, type RolesAnywhereEmulator } from '../../lib/testing/startRolesAnywhereEmulator'
import { CANARY_MARKER } from '../support/canaries'
import { runIn, tempDir } from './cliFixture'

const TSX = require.resolve('tsx/cli')
const MAIN = join(__dirname, '..', '..', 'lib', 'cli', 'main.ts')
const PASSPHRASE = `${CANARY_MARKER}-cli-passphrase`

type Run = { code: number; stdout: string; stderr: string }
const run = (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSX, MAIN, ...args],
      { env: { PATH: process.env['PATH'], HOME: '/nonexistent', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr })
      },
    )
  })

describe('aws-refresh-session --roles-anywhere', () => {
  let ra: RolesAnywhereEmulator
  let dir: ReturnType<typeof tempDir>
  const files: Record<string, string> = {}
  let helperFlags: string[]

  beforeAll(async () => {
    ra = await startRolesAnywhereEmulator()
    dir = tempDir()
    const write = (name: string, text: string): string => {
      const path = join(dir.path, name)
      writeFileSync(path, text, { mode: 0o600 })
      return (files[name] = path)
    }
    write('cert.pem', ra.certificate.certificate)
    write('key.pem', ra.certificate.privateKey)
    write('key.enc.pem', ra.certificate.encryptPrivateKey(PASSPHRASE))
    write('chain.pem', ra.certificate.intermediates!)
    const other = await ra.issueCertificate()
    write('other.key', other.privateKey)
    helperFlags = [
      '--trust-anchor-arn',
      ra.trustAnchorArn,
      '--profile-arn',
      ra.profileArn,
      '--role-arn',
      ra.roleArn,
      '--certificate',
      files['cert.pem']!,
      '--intermediates',
      files['chain.pem']!,
      '--endpoint',
      ra.endpoint,
    ]
  })
  afterEach(() => ra.clearRequests())
  afterAll(async () => {
    dir.remove()
    await ra.close()
  })

  it('credential-process prints credential_process JSON from CreateSession, then the same from its cache', async () => {
    const args = [
      'credential-process',
      '--roles-anywhere',
      ...helperFlags,
      '--private-key',
      files['key.pem']!,
      '--cache-dir',
      join(dir.path, 'cache'),
    ]
    const first = await run(args)
    expect(first).toMatchObject({ code: 0, stderr: '' })
    const json = JSON.parse(first.stdout) as Record<string, unknown>
    expect(json).toEqual({
      Version: 1,
      AccessKeyId: expect.stringMatching(/^ASIA/),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
      Expiration: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      AccountId: '123456789012',
    })
    expect(ra.requests).toHaveLength(1)
    expect(ra.requests[0]).toMatchObject({ status: 201, serial: ra.certificate.serial })
    const second = await run(args)
    expect(second.stdout).toBe(first.stdout)
    expect(ra.requests).toHaveLength(1)
    expect(readdirSync(join(dir.path, 'cache'))).toHaveLength(1)
  })

  it('reads an encrypted key with --passphrase-env and asks for --session-duration seconds', async () => {
    const r = await run(
      [
        'credential-process',
        '--roles-anywhere',
        ...helperFlags,
        '--private-key',
        files['key.enc.pem']!,
        '--passphrase-env',
        'KEY_PASS',
        '--session-duration',
        '1800',
        '--no-cache',
      ],
      { KEY_PASS: PASSPHRASE },
    )
    expect(r.code).toBe(0)
    const expiration = Date.parse(String((JSON.parse(r.stdout) as Record<string, unknown>)['Expiration']))
    expect(expiration).toBeGreaterThan(Date.now() + 1700_000)
    expect(expiration).toBeLessThan(Date.now() + 1900_000)
    expect(JSON.parse(ra.requests[0]!.body)).toEqual({ durationSeconds: 1800 })
    expect(r.stderr).not.toContain(CANARY_MARKER)
  })

  it('exits 2 before any request for a key that does not belong to the certificate, and never prints key material', async () => {
    // In-process (a usage error needs no child): the same runCli that main.ts calls.
    const r = await runIn([
      'credential-process',
      '--roles-anywhere',
      ...helperFlags,
      '--private-key',
      files['other.key']!,
      '--no-cache',
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/fromRolesAnywhere: the private key does not belong to the certificate/)
    expect(r.stderr).not.toMatch(/BEGIN|PRIVATE/)
    expect(ra.requests).toHaveLength(0)
  })

  it('exits 2 when a required helper flag is missing', async () => {
    const r = await runIn([
      'credential-process',
      '--roles-anywhere',
      '--certificate',
      files['cert.pem']!,
      '--private-key',
      files['key.pem']!,
      '--no-cache',
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--roles-anywhere needs --trust-anchor-arn/)
  })

  it("exits 1 with the service's refusal when the role is not in the profile", async () => {
    const flags = helperFlags.map((f) => (f === ra.roleArn ? 'arn:aws:iam::123456789012:role/elsewhere' : f))
    const r = await run([
      'credential-process',
      '--roles-anywhere',
      ...flags,
      '--private-key',
      files['key.pem']!,
      '--no-cache',
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /IAM Roles Anywhere refused CreateSession \(403 AccessDeniedException: Unable to assume role/,
    )
  })

  it('serve hands out the Roles Anywhere credentials in the container format', async () => {
    const child = spawn(
      process.execPath,
      [TSX, MAIN, 'serve', '--json', '--roles-anywhere', ...helperFlags, '--private-key', files['key.pem']!],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'], HOME: '/nonexistent' } },
    )
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += String(d)
          if (out.includes('\n')) resolve(out.split('\n')[0]!)
        })
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)))
      })
      const endpoint = JSON.parse(line) as Record<string, string>
      const res = await fetch(endpoint['AWS_CONTAINER_CREDENTIALS_FULL_URI']!, {
        headers: { authorization: endpoint['AWS_CONTAINER_AUTHORIZATION_TOKEN']! },
      })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({
        AccessKeyId: expect.stringMatching(/^ASIA/),
        Token: expect.any(String),
        Expiration: expect.any(String),
      })
      expect(ra.requests).toHaveLength(1)
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  })
})
