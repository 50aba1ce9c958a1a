// The CLI as the AWS CLI, Terraform and shell loops run it: the built executable as child
// processes, the STS emulator in a process of its own.
import { spawn } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { dirname, join } from 'node:path'
import { totpCode } from '../../lib/internal/otp'
import { stsSourceArgs, type ProcessJson } from '../support/credentialProcess'
import { tempDir } from './cliFixture'
import {
  builtCli,
  builtModules,
  runChild,
  runCliProcess,
  type Run,
  startStsProcess,
  type StsProcess,
  TSX,
} from './support/processes'

const ROLE = 'arn:aws:iam::123456789012:role/app'
const MFA_ROLE = 'arn:aws:iam::123456789012:role/mfa'
const QUIET = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', PATH: process.env['PATH'] ?? '/usr/bin:/bin' }

const json = (r: Run): ProcessJson => JSON.parse(r.stdout) as ProcessJson

let main: string
let sts: StsProcess
let dir: ReturnType<typeof tempDir>
let n = 0

beforeAll(async () => {
  main = builtCli()
  sts = await startStsProcess()
}, 120_000)
afterAll(async () => {
  await sts.close()
  dir?.remove()
})
beforeEach(() => {
  dir?.remove()
  dir = tempDir()
})

/** A fresh home with the base user's keys as [default] and [base], and the STS flags. */
const setup = () => {
  const home = join(dir.path, `home${n++}`)
  mkdirSync(join(home, '.aws'), { recursive: true })
  const keys = `aws_access_key_id = ${sts.baseCredentials.accessKeyId}\naws_secret_access_key = ${sts.baseCredentials.secretAccessKey}\n`
  writeFileSync(join(home, '.aws', 'credentials'), `[default]\n${keys}[base]\n${keys}`)
  const cache = join(home, 'cache')
  const sourceArgs = stsSourceArgs(sts, cache)
  return { home, cache, env: { ...QUIET, HOME: home }, sourceArgs }
}
const count = async (action: string, accessKeyId?: string): Promise<number> =>
  (await sts.requests()).filter(
    (r) => r.action === action && (accessKeyId === undefined || r.accessKeyId === accessKeyId),
  ).length

describe('credential-process as a real process', () => {
  it('prints valid JSON in all of 20 concurrent runs on an empty cache: one session, one AssumeRole', async () => {
    const { env, sourceArgs } = setup()
    const before = await count('AssumeRole')
    const runs = await Promise.all(
      Array.from({ length: 20 }, () =>
        runCliProcess(main, ['credential-process', '--assume-role', ROLE, ...sourceArgs], { env }),
      ),
    )
    for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' })
    expect(new Set(runs.map((r) => json(r).AccessKeyId)).size).toBe(1)
    expect(json(runs[0]!)).toMatchObject({
      Version: 1,
      AccessKeyId: expect.stringMatching(/^ASIA/),
      SessionToken: expect.any(String),
    })
    expect((await count('AssumeRole')) - before).toBe(1)
  })

  it('gives two base identities two sessions: two credentials files, with --base-profile and with the default chain', async () => {
    const { home, env, sourceArgs } = setup()
    const session = await sts.session()
    const other = join(home, 'other-credentials')
    const keys = `aws_access_key_id = ${session.accessKeyId}\naws_secret_access_key = ${session.secretAccessKey}\naws_session_token = ${session.sessionToken}\n`
    writeFileSync(other, `[default]\n${keys}[base]\n${keys}`)
    for (const extra of [['--base-profile', 'base'], []]) {
      const args = ['credential-process', '--assume-role', ROLE, ...extra, ...sourceArgs]
      const first = await runCliProcess(main, args, { env })
      const second = await runCliProcess(main, args, { env: { ...env, AWS_SHARED_CREDENTIALS_FILE: other } })
      expect([first.code, second.code]).toEqual([0, 0])
      expect(json(second).AccessKeyId).not.toBe(json(first).AccessKeyId)
    }
    expect(await count('AssumeRole', session.accessKeyId)).toBe(2)
    // The same file path with another [default]: the edited file is another identity.
    const args = ['credential-process', '--assume-role', ROLE, ...sourceArgs]
    const edited = join(home, '.aws', 'credentials')
    writeFileSync(edited, `[default]\n${keys}`)
    expect((await runCliProcess(main, args, { env })).code).toBe(0)
    expect(await count('AssumeRole', session.accessKeyId)).toBe(3)
  })

  it('does not let a run SIGKILLed while holding the lock delay the next run', async () => {
    const { cache, env, sourceArgs } = setup()
    const mfa = join(dir.path, 'mfa.js')
    writeFileSync(
      mfa,
      'if (process.env.SLOW) setTimeout(() => undefined, 60_000); else console.log(process.env.CODE)\n',
    )
    const args = [
      main,
      'credential-process',
      '--assume-role',
      MFA_ROLE,
      '--mfa-serial',
      sts.mfa.serialNumber,
      '--mfa-command',
      `${process.execPath} ${mfa}`,
      ...sourceArgs,
    ]
    const holder = spawn(process.execPath, args, { env: { ...env, SLOW: '1' }, stdio: 'ignore', detached: true })
    await until(() => existsSync(cache) && readdirSync(cache).some((f) => f.endsWith('.lock')))
    process.kill(-holder.pid!, 'SIGKILL') // the run and its MFA command
    const next = await runChild(process.execPath, args, {
      env: { ...env, CODE: totpCode(sts.mfa.secret, Math.floor(Date.now() / 1000)) },
    })
    expect({ code: next.code, stderr: next.stderr }).toEqual({ code: 0, stderr: '' })
    expect(json(next)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) })
    expect(next.ms).toBeLessThan(10_000)
    expect(readdirSync(cache).filter((f) => f.endsWith('.lock'))).toEqual([])
  })

  it('refuses a cache directory others can write or another user owns, without calling STS', async () => {
    const { cache, env, sourceArgs } = setup()
    const before = await count('AssumeRole')
    mkdirSync(cache)
    chmodSync(cache, 0o777)
    const r = await runCliProcess(main, ['credential-process', '--assume-role', ROLE, ...sourceArgs], { env })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`the cache directory ${cache} is writable by every user (mode 0777)`)
    if (process.getuid?.() === 0) {
      chmodSync(cache, 0o700)
      chownSync(cache, 4242, 4242)
      const owned = await runCliProcess(main, ['credential-process', '--assume-role', ROLE, ...sourceArgs], { env })
      expect(owned.stderr).toContain('is owned by another user (uid 4242)')
    }
    expect((await count('AssumeRole')) - before).toBe(0)
  })

  it('never reads an entry through a planted symlink or one others can read, and replaces it', async () => {
    const { cache, env, sourceArgs } = setup()
    const args = ['credential-process', '--assume-role', ROLE, ...sourceArgs]
    const first = await runCliProcess(main, args, { env })
    const [name] = readdirSync(cache)
    const entry = join(cache, name!)
    const planted = join(dir.path, 'planted.json')
    writeFileSync(
      planted,
      readFileSync(entry, 'utf8').replace(/"AccessKeyId":"[^"]+"/, '"AccessKeyId":"ASIAPLANTED"'),
      { mode: 0o600 },
    )
    renameSync(entry, `${entry}.old`)
    symlinkSync(planted, entry)
    const second = await runCliProcess(main, args, { env })
    expect(second.code).toBe(0)
    expect(json(second).AccessKeyId).not.toMatch(/ASIAPLANTED|^$/)
    expect(json(second).AccessKeyId).not.toBe(json(first).AccessKeyId)
    expect(lstatSync(entry).isSymbolicLink()).toBe(false)
    expect(readFileSync(planted, 'utf8')).toContain('ASIAPLANTED')
    writeFileSync(entry, readFileSync(planted, 'utf8'))
    chmodSync(entry, 0o644)
    expect(json(await runCliProcess(main, args, { env })).AccessKeyId).not.toBe('ASIAPLANTED')
  })

  it('on a cache hit loads neither node:crypto nor node:os, and sets up no signal handler', async () => {
    const { env, sourceArgs } = setup()
    const args = ['credential-process', '--assume-role', ROLE, ...sourceArgs]
    const miss = await runCliProcess(main, args, { env })
    const loaded = join(dir.path, 'builtins.json')
    const hook = join(dir.path, 'builtins.js')
    // Node's own modules and bindings as it lists them ('NativeModule crypto', 'Internal Binding signal_wrap').
    writeFileSync(
      hook,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList)))\n`,
    )
    const hit = await runChild(process.execPath, ['-r', hook, main, ...args], { env })
    expect(hit.stdout).toBe(miss.stdout)
    const builtins = JSON.parse(readFileSync(loaded, 'utf8')) as string[]
    expect(builtins.filter((m) => /\b(crypto|os|signal_wrap)$/.test(m))).toEqual([])
  })

  it('on a cache hit loads neither the SDK, nor fp-ts, otplib, smithy nor the source builders', async () => {
    const { env, sourceArgs } = setup()
    const args = ['credential-process', '--assume-role', ROLE, ...sourceArgs]
    const miss = await runCliProcess(main, args, { env })
    const loaded = join(dir.path, 'loaded.json')
    const hook = join(dir.path, 'hook.js')
    writeFileSync(
      hook,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))))\n`,
    )
    const hit = await runChild(process.execPath, ['-r', hook, main, ...args], { env })
    expect(hit.stdout).toBe(miss.stdout)
    const files = JSON.parse(readFileSync(loaded, 'utf8')) as string[]
    const built = dirname(dirname(dirname(main)))
    // Nothing from node_modules; of the library, only the hit path.
    expect(files.filter((f) => !f.startsWith(built))).toEqual([hook])
    expect(builtModules(main, files).sort()).toEqual([
      'lib/cli/cachedOutput.ts',
      'lib/cli/main.ts',
      'lib/internal/fileCache/entry.ts',
      'lib/internal/sha256Hex.ts',
      'lib/refresh/lifetimeWindows.ts',
    ])
    // In one file: the executable's own build (scripts/build.mjs).
    expect(files.filter((f) => f.startsWith(built))).toEqual([main])
  })
})

describe('signals during the MFA prompt, on a real pseudo-terminal', () => {
  const haveScript = existsSync('/usr/bin/script')
  if (!haveScript) console.log('skipped: needs util-linux script (Debian package util-linux)')
  const prompt = async (signal: NodeJS.Signals, code: number, subcommand = 'credential-process'): Promise<void> => {
    const { env, sourceArgs } = setup()
    const d = join(dir.path, `${subcommand}-${signal}`)
    mkdirSync(d)
    const cli = [
      process.execPath,
      main,
      subcommand,
      '--assume-role',
      MFA_ROLE,
      '--mfa-serial',
      sts.mfa.serialNumber,
      ...(subcommand === 'serve' ? sourceArgs.slice(0, 4) : sourceArgs),
    ]
      .map((a) => `'${a}'`)
      .join(' ')
    // The AWS CLI pipes stdout and stderr: the prompt is on /dev/tty only.
    writeFileSync(
      join(d, 'run.sh'),
      `stty -g > ${d}/before\n${cli} > ${d}/out 2> ${d}/err &\necho $! > ${d}/pid\nwait $!\necho $? > ${d}/rc\nstty -g > ${d}/after\n`,
    )
    const pty = spawn('script', ['-qfc', `sh ${d}/run.sh`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] })
    let shown = ''
    pty.stdout.on('data', (c: Buffer) => (shown += String(c)))
    const ended = new Promise<void>((resolve) => pty.once('close', () => resolve()))
    try {
      await until(() => shown.includes(`MFA code for ${sts.mfa.serialNumber}`))
      const started = Date.now()
      process.kill(Number(readFileSync(join(d, 'pid'), 'utf8')), signal)
      await until(() => existsSync(join(d, 'after')) && readFileSync(join(d, 'after'), 'utf8') !== '', 5_000)
      expect(Date.now() - started).toBeLessThan(3_000)
      expect(readFileSync(join(d, 'rc'), 'utf8').trim()).toBe(String(code))
      expect(readFileSync(join(d, 'after'), 'utf8')).toBe(readFileSync(join(d, 'before'), 'utf8'))
      expect(readFileSync(join(d, 'out'), 'utf8')).toBe('')
      await ended
    } finally {
      pty.kill('SIGKILL')
    }
  }
  ;(haveScript ? it : it.skip)('SIGTERM aborts the prompt, restores the terminal and exits 143', () =>
    prompt('SIGTERM', 143),
  )
  ;(haveScript ? it : it.skip)('SIGHUP aborts the prompt, restores the terminal and exits 129', () =>
    prompt('SIGHUP', 129),
  )
  ;(haveScript ? it : it.skip)('serve: SIGTERM during its first prompt restores the terminal and exits 143', () =>
    prompt('SIGTERM', 143, 'serve'),
  )
})

describe('serve as a real process', () => {
  let served: ReturnType<typeof spawn>
  let url: string
  let token: string
  beforeAll(async () => {
    const { env, sourceArgs } = setup()
    // Few file descriptors: idle connections would exhaust them without a cap.
    const line = [process.execPath, main, 'serve', '--json', '--assume-role', ROLE, ...sourceArgs.slice(0, 4)]
      .map((a) => `'${a}'`)
      .join(' ')
    served = spawn('sh', ['-c', `ulimit -n 200; exec ${line}`], { env, stdio: ['ignore', 'pipe', 'ignore'] })
    const printed = await new Promise<string>((resolve) =>
      served.stdout!.once('data', (d: Buffer) => resolve(String(d))),
    )
    const info = JSON.parse(printed) as Record<string, string>
    url = info['AWS_CONTAINER_CREDENTIALS_FULL_URI']!
    token = info['AWS_CONTAINER_AUTHORIZATION_TOKEN']!
  }, 30_000)
  afterAll(() => served.kill('SIGKILL'))

  const get = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(url, { headers: { authorization: token }, agent: false, timeout: 3_000 }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('timeout', () => req.destroy(new Error('no answer within 3 s')))
      req.on('error', reject)
      req.end()
    })
  const raw = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1', () => resolve(socket))
      socket.on('error', reject)
    })

  it('answers 400 to a malformed request target and keeps serving', async () => {
    const socket = await raw()
    const answer = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(String(d))))
    socket.write(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${token}\r\n\r\n`)
    expect(await answer).toMatch(/^HTTP\/1\.1 400 /)
    socket.destroy()
    expect(await get()).toBe(200)
  })

  it('keeps serving a real client while 300 idle connections are open', async () => {
    const idle = await Promise.all(Array.from({ length: 300 }, () => raw().catch(() => undefined)))
    try {
      expect(await get()).toBe(200)
    } finally {
      for (const s of idle) s?.destroy()
    }
  })

  // Counted on the server's side (its open descriptors): what a client sees of a close is up to its network stack.
  const sockets = (): number =>
    readdirSync(`/proc/${served.pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${served.pid}/fd/${fd}`).startsWith('socket:')
      } catch {
        return false
      }
    }).length
  ;(existsSync('/proc/self/fd') ? it : it.skip)(
    'closes a connection that sends nothing, and one that sends half a request, within seconds',
    async () => {
      await until(() => sockets() < 10, 12_000) // the idle connections of the previous test are gone
      const baseline = sockets()
      const silent = await raw()
      const half = await raw()
      half.write('GET /credentials HTTP/1.1\r\nHost: 127.0.0.1\r\n')
      await until(() => sockets() >= baseline + 2, 3_000)
      const started = Date.now()
      await until(() => sockets() <= baseline, 12_000)
      expect(Date.now() - started).toBeLessThan(9_000)
      silent.destroy()
      half.destroy()
    },
    35_000,
  )

  it('exits 143 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => served.once('exit', (c) => resolve(c)))
    served.kill('SIGTERM')
    expect(await exited).toBe(143)
  })
})

describe('waits a caller is blocked on keep the process alive', () => {
  it.each([
    ['totp', 'two codes'],
    ['timeout', 'rejected Timeout'],
  ])('%s: the awaited call settles before the script ends', async (mode, line) => {
    const r = await runChild(process.execPath, [TSX, join(__dirname, 'support', 'waits.child.ts'), mode], {
      env: QUIET,
    })
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${line}\n` })
  })
})

describe('withFileCache across processes', () => {
  // An emulator of its own: a TOTP code sent by an earlier test in this 30-s step would be refused as reused.
  let own: StsProcess
  beforeAll(async () => {
    own = await startStsProcess()
  }, 30_000)
  afterAll(() => own.close())

  it('20 processes of one script: one GetSessionToken, one MFA prompt, one session', async () => {
    const sts = own
    const prompts = join(dir.path, 'prompts')
    writeFileSync(prompts, '')
    const env = {
      ...QUIET,
      LIB: join(dirname(dirname(main)), 'index.js'),
      STS: JSON.stringify(sts),
      PROMPTS: prompts,
      CACHE_DIR: join(dir.path, 'cache'),
    }
    const script = join(__dirname, 'support', 'fileCache.child.cjs')
    const runs = await Promise.all(Array.from({ length: 20 }, () => runChild(process.execPath, [script], { env })))
    for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' })
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1)
    expect(readFileSync(prompts, 'utf8').trim().split('\n')).toHaveLength(1)
    expect((await sts.requests()).filter((r) => r.action === 'GetSessionToken')).toHaveLength(1)
  })
})

/** Resolves once `check` holds, polling every 20 ms; rejects after `ms`. */
const until = (check: () => boolean, ms = 10_000): Promise<void> =>
  new Promise((resolve, reject) => {
    const started = Date.now()
    const tick = (): void => {
      if (check()) return resolve()
      if (Date.now() - started > ms) return reject(new Error('condition not met in time'))
      setTimeout(tick, 20)
    }
    tick()
  })
