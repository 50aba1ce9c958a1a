import { CredentialError } from '../errors.js'

/** The terminal input `promptForCode` needs: `process.stdin` or a test double. */
export type PromptInput = NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?: (raw: boolean) => unknown }

/**
 * Options of {@link promptForCode}.
 *
 * @category mfa
 * @since 0.1.0
 */
export type PromptForCodeOptions = {
  /** Where the code is typed. @default process.stdin */
  readonly input?: PromptInput
  /** Where the prompt is written. @default process.stderr */
  readonly output?: NodeJS.WritableStream
  /** The prompt text. @default `MFA code for <serial>: ` */
  readonly message?: (serialNumber: string) => string
}

const SOURCE = 'promptForCode'
const CTRL_C = '\u0003'
const CTRL_D = '\u0004'
const BACKSPACE = new Set(['\u007f', '\b'])

/**
 * An MFA code provider that asks on the terminal at each code request. Input is read with
 * echo off (raw mode): the code never appears on screen or in scrollback. Caches nothing.
 *
 * @throws CredentialError `MfaRequired` when the input is not a TTY (CI, pipes: use `totp()`
 * or `codeFromCommand()` there), `Aborted` on Ctrl-C / Ctrl-D or end of input.
 * @example
 * ```ts
 * pipe(fromSessionToken({ SerialNumber }), withMfa(promptForCode()), withRefresh())
 * ```
 * @category mfa
 * @since 0.1.0
 */
export const promptForCode = (options: PromptForCodeOptions = {}): ((serialNumber: string) => Promise<string>) => (serialNumber) => {
  const input = options.input ?? process.stdin
  const output = options.output ?? process.stderr
  if (input.isTTY !== true || typeof input.setRawMode !== 'function')
    return Promise.reject(
      new CredentialError(`${SOURCE}: no terminal to ask for the MFA code of ${serialNumber}; use totp() or codeFromCommand() instead`, {
        code: 'MfaRequired',
        source: SOURCE,
      }),
    )
  output.write((options.message ?? ((s: string) => `MFA code for ${s}: `))(serialNumber))
  return readHidden(input, output)
}

const readHidden = (input: PromptInput, output: NodeJS.WritableStream): Promise<string> =>
  new Promise((resolve, reject) => {
    let typed = ''
    const done = (error?: CredentialError): void => {
      input.removeListener('data', onData)
      input.removeListener('end', onEnd)
      input.setRawMode?.(false)
      input.pause()
      output.write('\n')
      if (error) reject(error)
      else resolve(typed)
    }
    const aborted = (): CredentialError => new CredentialError(`${SOURCE}: MFA code entry was cancelled`, { code: 'Aborted', source: SOURCE })
    const onEnd = (): void => done(aborted())
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === CTRL_C || ch === CTRL_D) return done(aborted())
        if (ch === '\r' || ch === '\n') return done()
        if (BACKSPACE.has(ch)) typed = typed.slice(0, -1)
        else typed += ch
      }
    }
    input.setRawMode?.(true)
    input.on('data', onData)
    input.on('end', onEnd)
    input.resume()
  })
