import { execFile } from 'node:child_process'
import { CredentialError } from '../errors.js'

/**
 * Options of {@link codeFromCommand}.
 *
 * @category mfa
 * @since 0.1.0
 */
export type CodeFromCommandOptions = {
  /** Kill the command after this long. @default 30000 */
  readonly timeoutMs?: number
  /** The working directory. @default the current one */
  readonly cwd?: string
  /** The environment; `AWS_MFA_SERIAL` is always added. @default process.env */
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
 * @throws CredentialError `InvalidConfiguration` at construction for an empty `argv`; at call
 * time `Timeout` (after `timeoutMs`), `SourceFailed` (cannot start, or non-zero exit: the
 * `cause` holds only the exit code and signal), `MfaCodeInvalid` (no 6-digit group in stdout).
 * @example
 * ```ts
 * withMfa(codeFromCommand(['op', 'item', 'get', 'AWS', '--otp']))
 * ```
 * @category mfa
 * @since 0.1.0
 */
export const codeFromCommand = (argv: readonly [string, ...string[]], options: CodeFromCommandOptions = {}): ((serialNumber: string) => Promise<string>) => {
  const [file, ...args] = argv
  if (typeof file !== 'string' || file === '')
    throw new CredentialError(`${SOURCE}: argv must start with the command to run`, { code: 'InvalidConfiguration', source: SOURCE })
  const timeoutMs = options.timeoutMs ?? 30_000
  return (serialNumber) =>
    new Promise<string>((resolve, reject) => {
      const env = { ...(options.env ?? process.env), AWS_MFA_SERIAL: serialNumber }
      execFile(file, args, { timeout: timeoutMs, cwd: options.cwd, env, shell: false, windowsHide: true }, (error, stdout) => {
        if (error) return reject(commandError(file, error, timeoutMs))
        const code = lastSixDigits(String(stdout))
        if (code === undefined)
          return reject(new CredentialError(`${SOURCE}: ${file} printed no 6-digit code on stdout`, { code: 'MfaCodeInvalid', source: SOURCE }))
        resolve(code)
      })
    })
}

type ExecError = Error & { code?: unknown; killed?: boolean; signal?: NodeJS.Signals | null }

// Only the exit code and signal survive: the original error's message holds stderr.
const commandError = (file: string, error: ExecError, timeoutMs: number): CredentialError => {
  const cause = { exitCode: typeof error.code === 'number' ? error.code : undefined, signal: error.signal ?? undefined, errno: typeof error.code === 'string' ? error.code : undefined }
  if (error.killed === true && cause.exitCode === undefined)
    return new CredentialError(`${SOURCE}: ${file} did not finish within ${timeoutMs} ms`, { code: 'Timeout', source: SOURCE, cause })
  const why = cause.errno !== undefined ? `could not start (${cause.errno})` : `failed (exit ${cause.exitCode ?? cause.signal ?? '?'})`
  return new CredentialError(`${SOURCE}: ${file} ${why}`, { code: 'SourceFailed', source: SOURCE, cause })
}
