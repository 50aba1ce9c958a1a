import type * as ChildProcesses from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { CredentialError } from '../errors.js'
import { loadBuiltin } from '../internal/loadBuiltin.js'
import { abortable } from '../internal/abortable.js'
import { guarded, invalidConfiguration, MAX_TIMER_MS, requireObject } from '../internal/validate.js'

/**
 * Options of {@link codeFromCommand}.
 *
 * @category mfa
 * @since 0.1.0
 */
export type CodeFromCommandOptions = {
  /**
   * Fail with `Timeout` after this long and kill the command with `SIGKILL` (a command that
   * ignores `SIGTERM` cannot hold the caller); from 1 to 2 147 483 647.
   * @default 30000
   */
  readonly timeoutMs?: number
  /** The working directory, a path. @default the current one */
  readonly cwd?: string
  /** The environment, an object of strings; `AWS_MFA_SERIAL` is always added. @default process.env */
  readonly env?: NodeJS.ProcessEnv
}

const SOURCE = 'codeFromCommand'
const SIX_DIGITS = /(?<!\d)\d{6}(?!\d)/g

/** The last standalone group of exactly 6 digits in `stdout`, if any. */
const lastSixDigits = (stdout: string): string | undefined => stdout.match(SIX_DIGITS)?.at(-1)

/**
 * An MFA code provider that runs a command (for example a password manager's CLI) at each
 * code request, without a shell, and takes the last standalone 6-digit group of its stdout.
 * The serial is given to the command as `AWS_MFA_SERIAL`. Caches nothing. The command's
 * stderr and stdout are never copied into errors (they may hold secrets).
 *
 * @throws CredentialError `InvalidConfiguration` at construction unless `argv` is a non-empty
 * array of strings starting with the command, or for a bad `timeoutMs`, `cwd` or `env`; at call
 * time `Timeout` (after `timeoutMs`, the command killed), `SourceFailed` (cannot start, or
 * non-zero exit: the `cause` holds only the exit code and signal), `MfaCodeInvalid` (no
 * 6-digit group in stdout).
 * @example
 * ```ts
 * withMfa(codeFromCommand(['op', 'item', 'get', 'AWS', '--otp']))
 * ```
 * @category mfa
 * @since 0.1.0
 */
export const codeFromCommand = (
  givenArgv: readonly [string, ...string[]],
  given: CodeFromCommandOptions = {},
): ((serialNumber: string, call?: { readonly signal?: AbortSignal | undefined }) => Promise<string>) => {
  const { argv, options } = guarded(SOURCE, () => {
    validate(givenArgv, given)
    return { argv: [...givenArgv], options: { ...given } }
  })
  const [file = '', ...args] = argv
  const timeoutMs = options.timeoutMs ?? 30_000
  return (serialNumber, call) => {
    const signal = call?.signal
    if (signal?.aborted)
      return Promise.reject(
        new CredentialError(`${SOURCE}: aborted before ${file} was started`, { code: 'Aborted', source: SOURCE }),
      )
    const env = { ...(options.env ?? process.env), AWS_MFA_SERIAL: serialNumber }
    const { execFile } = loadBuiltin<typeof ChildProcesses>('node:child_process')
    let child: ChildProcess | undefined
    const run = new Promise<string>((resolve, reject) => {
      child = execFile(file, args, { cwd: options.cwd, env, shell: false, windowsHide: true }, (error, stdout) => {
        if (error) return reject(commandError(file, error))
        const code = lastSixDigits(String(stdout))
        if (code === undefined)
          return reject(
            new CredentialError(`${SOURCE}: ${file} printed no 6-digit code on stdout`, {
              code: 'MfaCodeInvalid',
              source: SOURCE,
            }),
          )
        resolve(code)
      })
    })
    // The race lost (the call stopped waiting, or the deadline passed): the command is no longer needed.
    const stopped = (message: string, code: 'Aborted' | 'Timeout'): CredentialError => {
      if (child !== undefined) kill(child)
      return new CredentialError(`${SOURCE}: ${message}`, { code, source: SOURCE })
    }
    // Our own deadline, not execFile's `timeout`: that one only sends a signal and waits for an
    // exit that a command ignoring SIGTERM (or a grandchild holding stdout) never gives. It keeps
    // the process alive: someone awaits the code.
    return abortable(run, {
      signal,
      aborted: () => stopped(`aborted while ${file} was running`, 'Aborted'),
      timeoutMs,
      timedOut: () => stopped(`${file} did not finish within ${timeoutMs} ms`, 'Timeout'),
      unref: false,
    })
  }
}

const kill = (child: ChildProcess): void => {
  child.kill('SIGKILL')
  child.stdout?.destroy()
  child.stderr?.destroy()
}

const invalid = (message: string): CredentialError => invalidConfiguration(SOURCE, message)

// Neither argv nor env is echoed: either may hold a secret.
const validate = (argv: unknown, options: CodeFromCommandOptions): void => {
  if (
    !Array.isArray(argv) ||
    argv.length === 0 ||
    !argv.every((a) => typeof a === 'string' && !a.includes('\0')) ||
    argv[0] === ''
  )
    throw invalid('argv must be a non-empty array of strings (without NUL), starting with the command to run')
  requireObject(SOURCE, 'options', options)
  const { timeoutMs, cwd, env } = options
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 1 && timeoutMs <= MAX_TIMER_MS))
    throw invalid(`timeoutMs must be a number of milliseconds from 1 to ${MAX_TIMER_MS} (got ${String(timeoutMs)})`)
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === ''))
    throw invalid('cwd must be a directory path, a non-empty string')
  if (env !== undefined && (typeof env !== 'object' || env === null || Array.isArray(env)))
    throw invalid('env must be an object of environment variables')
}

type ExecError = Error & { code?: unknown; signal?: NodeJS.Signals | null }

// Only the exit code and signal survive: the original error's message holds stderr.
const commandError = (file: string, error: ExecError): CredentialError => {
  const cause = {
    exitCode: typeof error.code === 'number' ? error.code : undefined,
    signal: error.signal ?? undefined,
    errno: typeof error.code === 'string' ? error.code : undefined,
  }
  const why =
    cause.errno !== undefined
      ? `could not start (${cause.errno})`
      : `failed (exit ${cause.exitCode ?? cause.signal ?? '?'})`
  return new CredentialError(`${SOURCE}: ${file} ${why}`, { code: 'SourceFailed', source: SOURCE, cause })
}
