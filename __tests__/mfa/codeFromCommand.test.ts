import { codeFromCommand } from '../../lib/mfa/codeFromCommand'

const node = (script: string, ...args: string[]): [string, ...string[]] => [process.execPath, '-e', script, ...args]
const SERIAL = 'arn:aws:iam::123456789012:mfa/me'

describe('codeFromCommand', () => {
  it('takes the last standalone 6-digit group of stdout', async () => {
    await expect(codeFromCommand(node('console.log("id 1234567, old 654321, code: 123456 (30s)")'))(SERIAL)).resolves.toBe('123456')
  })

  it('runs the command without a shell and gives it the serial as AWS_MFA_SERIAL', async () => {
    const provider = codeFromCommand(node('console.log(process.env.AWS_MFA_SERIAL, process.argv[1])', '$(echo 222222 | tr 2 3)'))
    await expect(provider(SERIAL)).resolves.toBe('222222')
    const echo = codeFromCommand(node('console.log(process.env.AWS_MFA_SERIAL === process.argv[1] ? "111111" : "999999")', SERIAL))
    await expect(echo(SERIAL)).resolves.toBe('111111')
  })

  it('fails with MfaCodeInvalid when stdout holds no standalone 6-digit group', async () => {
    await expect(codeFromCommand(node('console.log("1234567 12345")'))(SERIAL)).rejects.toMatchObject({ code: 'MfaCodeInvalid', source: 'codeFromCommand' })
  })

  it('fails with SourceFailed on a non-zero exit without copying stderr or stdout into the error', async () => {
    const error = await codeFromCommand(node('console.log("CANARY-OUT 123456"); console.error("CANARY-ERR"); process.exit(3)'))(SERIAL).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SourceFailed', cause: { exitCode: 3 } })
    const text = `${(error as Error).message} ${JSON.stringify((error as Error & { cause: unknown }).cause)}`
    expect(text).not.toContain('CANARY')
  })

  it('fails with SourceFailed when the command cannot start', async () => {
    await expect(codeFromCommand(['/nonexistent/mfa-helper'])(SERIAL)).rejects.toMatchObject({ code: 'SourceFailed', cause: { errno: 'ENOENT' } })
  })

  it('fails with Timeout after timeoutMs', async () => {
    await expect(codeFromCommand(node('setTimeout(() => {}, 60000)'), { timeoutMs: 50 })(SERIAL)).rejects.toMatchObject({ code: 'Timeout' })
  })

  it('rejects an empty argv at construction with InvalidConfiguration', () => {
    expect(() => codeFromCommand([''])).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
  })
})
