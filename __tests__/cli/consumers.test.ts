// The CLI as its real consumers run it: a child process started from lib/cli/main.ts through tsx.
import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromContainerMetadata, fromProcess } from '@aws-sdk/credential-providers'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { tempDir } from './cliFixture'

const ROLE = 'arn:aws:iam::123456789012:role/app'
const TSX = require.resolve('tsx/cli')
const MAIN = join(__dirname, '..', '..', 'lib', 'cli', 'main.ts')
const ENV_KEYS = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'] as const

describe('the aws-refresh-session executable with the SDK consumers', () => {
  let sts: StsEmulator
  let dir: ReturnType<typeof tempDir>
  const saved = new Map<string, string | undefined>()
  let credentialsFile: string
  let configFile: string
  let sourceArgs: string[]

  beforeAll(async () => {
    sts = await startStsEmulator({ roles: [{ arn: ROLE }] })
    dir = tempDir()
    for (const k of ENV_KEYS) saved.set(k, process.env[k])
    credentialsFile = join(dir.path, 'credentials')
    configFile = join(dir.path, 'config')
    // The base keys live in a profile the child reads through --base-profile, as a user's would.
    writeFileSync(
      credentialsFile,
      `[base]\naws_access_key_id = ${sts.baseCredentials.accessKeyId}\naws_secret_access_key = ${sts.baseCredentials.secretAccessKey}\n`,
    )
    sourceArgs = [
      '--assume-role',
      ROLE,
      '--base-profile',
      'base',
      '--endpoint-url',
      sts.endpoint,
      '--region',
      sts.region,
    ]
    // fromProcess runs the line with a shell and Node's real environment (not Jest's copy of
    // process.env), so the child is told where the files are on the line itself.
    const files = `AWS_SHARED_CREDENTIALS_FILE=${credentialsFile} AWS_CONFIG_FILE=${configFile}`
    const command = [
      files,
      process.execPath,
      TSX,
      MAIN,
      'credential-process',
      ...sourceArgs,
      '--cache-dir',
      join(dir.path, 'cache'),
    ].join(' ')
    writeFileSync(configFile, `[profile cli]\ncredential_process = ${command}\n`)
  })
  afterAll(async () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    dir.remove()
    await sts.close()
  })

  it('credential-process is read by the SDK fromProcess, and its second run comes from the cache', async () => {
    const read = fromProcess({ profile: 'cli', filepath: credentialsFile, configFilepath: configFile })
    const first = await read()
    expect(first).toMatchObject({
      accessKeyId: expect.stringMatching(/^ASIA/),
      sessionToken: expect.any(String),
      expiration: expect.any(Date),
      accountId: '123456789012',
    })
    expect(
      sts.requests.filter((r) => r.action === 'AssumeRole' && r.accessKeyId === sts.baseCredentials.accessKeyId),
    ).toHaveLength(1)
    const second = await read()
    expect(second.accessKeyId).toBe(first.accessKeyId)
    expect(sts.requests.filter((r) => r.action === 'AssumeRole')).toHaveLength(1)
    expect(readdirSync(join(dir.path, 'cache'))).toHaveLength(1)
  })

  it('serve is read by the SDK fromContainerMetadata and stops on SIGTERM with exit code 143', async () => {
    const env = { ...process.env, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile }
    const child = spawn(process.execPath, [TSX, MAIN, 'serve', ...sourceArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    })
    try {
      const printed = await firstLines(child, 2)
      for (const [, name, value] of printed.matchAll(/^export (\w+)=(.*)$/gm)) process.env[name!] = value
      const c = await fromContainerMetadata()()
      expect(c).toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/), expiration: expect.any(Date) })
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.once('exit', (code, signal) => resolve([code, signal])),
      )
      child.kill('SIGTERM')
      expect(await exited).toEqual([143, null]) // 128 + 15, as shells report SIGTERM
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  })
})

/** Resolves with the child's stdout once it holds `count` lines; rejects if the child exits first. */
const firstLines = (child: ChildProcess, count: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr?.on('data', (d: Buffer) => (err += String(d)))
    child.stdout?.on('data', (d: Buffer) => {
      out += String(d)
      if (out.split('\n').length > count) resolve(out)
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)))
  })
