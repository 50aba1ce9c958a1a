import { PassThrough } from 'node:stream'
import { promptForCode, type PromptInput } from '../../lib/mfa/promptForCode'

const SERIAL = 'arn:aws:iam::123456789012:mfa/me'

const terminal = () => {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: jest.fn() }) as PassThrough &
    PromptInput & { setRawMode: jest.Mock }
  const output = new PassThrough()
  let written = ''
  output.on('data', (c: Buffer) => (written += c.toString()))
  return { input, output, written: () => written }
}

describe('promptForCode', () => {
  it('prints the prompt, reads the code with echo off (raw mode) and restores the terminal', async () => {
    const t = terminal()
    const code = promptForCode({ input: t.input, output: t.output })(SERIAL)
    t.input.write('65')
    t.input.write('4321\r')
    await expect(code).resolves.toBe('654321')
    expect(t.input.setRawMode.mock.calls).toEqual([[true], [false]])
    await new Promise((resolve) => setImmediate(resolve)) // let the output stream deliver
    expect(t.written()).toContain(`MFA code for ${SERIAL}: `)
    expect(t.written()).not.toContain('654321')
  })

  it('handles backspace', async () => {
    const t = terminal()
    const code = promptForCode({ input: t.input, output: t.output, message: () => '> ' })(SERIAL)
    t.input.write('1239\u007f456\n')
    await expect(code).resolves.toBe('123456')
  })

  it('fails with Aborted on Ctrl-C and on end of input', async () => {
    const t = terminal()
    const code = promptForCode({ input: t.input, output: t.output })(SERIAL)
    t.input.write('12\u0003')
    await expect(code).rejects.toMatchObject({ code: 'Aborted', source: 'promptForCode' })
    const t2 = terminal()
    const code2 = promptForCode({ input: t2.input, output: t2.output })(SERIAL)
    t2.input.end()
    await expect(code2).rejects.toMatchObject({ code: 'Aborted' })
  })

  it('fails with a clear MfaRequired error when the input is not a terminal', async () => {
    const input = new PassThrough() as PassThrough & PromptInput
    await expect(promptForCode({ input, output: new PassThrough() })(SERIAL)).rejects.toMatchObject({
      code: 'MfaRequired',
      message: expect.stringContaining('no terminal'),
    })
  })

  it.each([
    ['input', { input: 5 }],
    ['input', { input: {} }],
    ['output', { output: 'stderr' }],
    ['message', { message: 'MFA code: ' }],
  ])('rejects a bad %s at construction with InvalidConfiguration', (key, options) => {
    expect(() => promptForCode(options as never)).toThrow(
      expect.objectContaining({
        code: 'InvalidConfiguration',
        source: 'promptForCode',
        message: expect.stringContaining(key),
      }),
    )
  })
})

describe('promptForCode and a call that stops waiting', () => {
  it('gives the terminal back when the signal aborts: raw mode off, listeners removed, nothing read on', async () => {
    const t = terminal()
    const controller = new AbortController()
    const code = promptForCode({ input: t.input, output: t.output })(SERIAL, { signal: controller.signal })
    t.input.write('12')
    controller.abort()
    await expect(code).rejects.toMatchObject({ code: 'Aborted', source: 'promptForCode' })
    expect(t.input.setRawMode.mock.calls).toEqual([[true], [false]])
    expect(t.input.listenerCount('data')).toBe(0)
  })

  it('gets the signal from withMfa, so withTimeout releases a prompt nobody answers', async () => {
    const { withMfa } = await import('../../lib/transforms/withMfa')
    const { withTimeout } = await import('../../lib/transforms/withTimeout')
    const t = terminal()
    const source = Object.assign(async () => ({ accessKeyId: 'AKIA', secretAccessKey: 's' }), {
      mfaSerialNumber: SERIAL,
    })
    const call = withTimeout(50)(withMfa(promptForCode({ input: t.input, output: t.output }))(source))
    await expect(call()).rejects.toMatchObject({ code: 'Timeout' })
    expect(t.input.setRawMode.mock.calls).toEqual([[true], [false]])
    expect(t.input.listenerCount('data')).toBe(0)
  })
})
