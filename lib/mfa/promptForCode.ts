import { CredentialError } from '../errors.js'
import { onAbort } from '../internal/abortable.js'
import { invalidConfiguration } from '../internal/validate.js'

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
 * @throws CredentialError `InvalidConfiguration` at construction when `input` is not a
 * readable stream, `output` not a writable stream or `message` not a function; at call time
 * `MfaRequired` when the input is not a TTY (CI, pipes: use `totp()` or `codeFromCommand()`
 * there), `Aborted` on Ctrl-C / Ctrl-D or end of input.
 * @example
 * ```ts
 * pipe(fromSessionToken({ SerialNumber }), withMfa(promptForCode()), withRefresh())
 * ```
 * @category mfa
 * @since 0.1.0
 */
export const promptForCode = (
  options: PromptForCodeOptions = {},
): ((serialNumber: string, call?: { readonly signal?: AbortSignal | undefined }) => Promise<string>) => {
  validate(options)
  return (serialNumber, call) => ask(options, serialNumber, call?.signal)
}

const invalid = (message: string): CredentialError => invalidConfiguration(SOURCE, message)

const hasMethods = (value: unknown, names: readonly string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')

const validate = (options: PromptForCodeOptions): void => {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object')
  const { input, output, message } = options
  if (input !== undefined && !hasMethods(input, ['on', 'removeListener', 'resume', 'pause']))
    throw invalid('input must be a readable stream such as process.stdin')
  if (output !== undefined && !hasMethods(output, ['write']))
    throw invalid('output must be a writable stream such as process.stderr')
  if (message !== undefined && typeof message !== 'function')
    throw invalid('message must be a function (serialNumber) => prompt text')
}

const ask = (options: PromptForCodeOptions, serialNumber: string, signal: AbortSignal | undefined): Promise<string> => {
  const input = options.input ?? process.stdin
  const output = options.output ?? process.stderr
  if (input.isTTY !== true || typeof input.setRawMode !== 'function')
    return Promise.reject(
      new CredentialError(
        `${SOURCE}: no terminal to ask for the MFA code of ${serialNumber}; use totp() or codeFromCommand() instead`,
        {
          code: 'MfaRequired',
          source: SOURCE,
        },
      ),
    )
  output.write((options.message ?? ((s: string) => `MFA code for ${s}: `))(serialNumber))
  return readHidden(input, output, signal)
}

const readHidden = (
  input: PromptInput,
  output: NodeJS.WritableStream,
  signal: AbortSignal | undefined,
): Promise<string> =>
  new Promise((resolve, reject) => {
    let typed = ''
    let cancel = (): void => undefined
    const done = (error?: CredentialError): void => {
      input.removeListener('data', onData)
      input.removeListener('end', onEnd)
      cancel()
      input.setRawMode?.(false)
      input.pause()
      output.write('\n')
      if (error) reject(error)
      else resolve(typed)
    }
    const aborted = (): CredentialError =>
      new CredentialError(`${SOURCE}: MFA code entry was cancelled`, { code: 'Aborted', source: SOURCE })
    const onEnd = (): void => done(aborted())
    // The call stopped waiting (withTimeout): give the terminal back instead of reading on.
    const stop = (): void => done(aborted())
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === CTRL_C || ch === CTRL_D) return done(aborted())
        if (ch === '\r' || ch === '\n') return done()
        if (BACKSPACE.has(ch)) typed = typed.slice(0, -1)
        else typed += ch
      }
    }
    if (signal?.aborted) return reject(aborted())
    cancel = onAbort(signal, stop)
    input.setRawMode?.(true)
    input.on('data', onData)
    input.on('end', onEnd)
    input.resume()
  })
