import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { codeFromCommand } from '../../lib/mfa/codeFromCommand'

const node = (script: string, ...args: string[]): [string, ...string[]] => [process.execPath, '-e', script, ...args]
const SERIAL = 'arn:aws:iam::123456789012:mfa/me'

describe('codeFromCommand', () => {
  it('takes the last standalone 6-digit group of stdout', async () => {
    await expect(
      codeFromCommand(node('console.log("id 1234567, old 654321, code: 123456 (30s)")'))(SERIAL),
    ).resolves.toBe('123456')
  })

  it('runs the command without a shell and gives it the serial as AWS_MFA_SERIAL', async () => {
    const provider = codeFromCommand(
      node('console.log(process.env.AWS_MFA_SERIAL, process.argv[1])', '$(echo 222222 | tr 2 3)'),
    )
    await expect(provider(SERIAL)).resolves.toBe('222222')
    const echo = codeFromCommand(
      node('console.log(process.env.AWS_MFA_SERIAL === process.argv[1] ? "111111" : "999999")', SERIAL),
    )
    await expect(echo(SERIAL)).resolves.toBe('111111')
  })

  it('fails with MfaCodeInvalid when stdout holds no standalone 6-digit group', async () => {
    await expect(codeFromCommand(node('console.log("1234567 12345")'))(SERIAL)).rejects.toMatchObject({
      code: 'MfaCodeInvalid',
      source: 'codeFromCommand',
    })
  })

  it('fails with SourceFailed on a non-zero exit without copying stderr or stdout into the error', async () => {
    const error = await codeFromCommand(
      node('console.log("CANARY-OUT 123456"); console.error("CANARY-ERR"); process.exit(3)'),
    )(SERIAL).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SourceFailed', cause: { exitCode: 3 } })
    const text = `${(error as Error).message} ${JSON.stringify((error as Error & { cause: unknown }).cause)}`
    expect(text).not.toContain('CANARY')
  })

  it('fails with SourceFailed when the command cannot start', async () => {
    await expect(codeFromCommand(['/nonexistent/mfa-helper'])(SERIAL)).rejects.toMatchObject({
      code: 'SourceFailed',
      cause: { errno: 'ENOENT' },
    })
  })

  it('fails with Timeout after timeoutMs', async () => {
    await expect(codeFromCommand(node('setTimeout(() => {}, 60000)'), { timeoutMs: 50 })(SERIAL)).rejects.toMatchObject(
      { code: 'Timeout' },
    )
  })

  describe('with a command that ignores SIGTERM', () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-from-command-'))
    const pidFile = join(dir, 'pid')
    // Even when the test fails, no stubborn child may outlive it (and hold Jest open).
    afterAll(() => {
      if (existsSync(pidFile)) kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    })

    it('fails with Timeout within about timeoutMs, and kills it', async () => {
      const stubborn = node(
        `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)`,
      )
      const started = Date.now()
      await expect(codeFromCommand(stubborn, { timeoutMs: 300 })(SERIAL)).rejects.toMatchObject({
        code: 'Timeout',
        source: 'codeFromCommand',
      })
      expect(Date.now() - started).toBeLessThan(1_000)
      expect(await exited(pidFile)).toBe(true)
    }, 3_000)

    it('kills it when the call stops waiting (its signal aborts), with Aborted', async () => {
      rmSync(pidFile, { force: true })
      const stubborn = node(
        `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)`,
      )
      const controller = new AbortController()
      const code = codeFromCommand(stubborn, { timeoutMs: 10_000 })(SERIAL, { signal: controller.signal })
      while (!existsSync(pidFile)) await new Promise((r) => setTimeout(r, 10))
      controller.abort()
      await expect(code).rejects.toMatchObject({ code: 'Aborted', source: 'codeFromCommand' })
      expect(await exited(pidFile)).toBe(true)
    }, 5_000)
  })

  it('rejects an empty argv at construction with InvalidConfiguration', () => {
    expect(() => codeFromCommand([''])).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
  })

  it.each([
    ['argv', [], {}],
    ['argv', 'op item get', {}],
    ['argv', ['op', 5], {}],
    ['timeoutMs', ['op'], { timeoutMs: 0 }],
    ['timeoutMs', ['op'], { timeoutMs: -5 }],
    ['timeoutMs', ['op'], { timeoutMs: Number.NaN }],
    ['timeoutMs', ['op'], { timeoutMs: 2 ** 31 }],
    ['timeoutMs', ['op'], { timeoutMs: '300' }],
    ['cwd', ['op'], { cwd: 5 }],
    ['env', ['op'], { env: 'PATH=/bin' }],
    ['env', ['op'], { env: null }],
  ])('rejects a bad %s at construction with InvalidConfiguration, naming it', (key, argv, options) => {
    expect(() => codeFromCommand(argv as never, options as never)).toThrow(
      expect.objectContaining({
        code: 'InvalidConfiguration',
        source: 'codeFromCommand',
        message: expect.stringContaining(key),
      }),
    )
  })
})

/** Sends `signal` to `pid`; false when there is no such process any more. */
const kill = (pid: number, signal: NodeJS.Signals | 0): boolean => {
  try {
    return process.kill(pid, signal)
  } catch {
    return false
  }
}

/** Whether the process whose pid the command wrote to `pidFile` is gone (waits up to 1 s for the kill to land). */
const exited = async (pidFile: string): Promise<boolean> => {
  if (!existsSync(pidFile)) return true // killed before it could even start
  const pid = Number(readFileSync(pidFile, 'utf8'))
  for (let waited = 0; waited < 1_000; waited += 20) {
    if (!kill(pid, 0)) return true
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return false
}
