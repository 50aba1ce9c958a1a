import { openSync } from 'node:fs'
import { ReadStream, WriteStream } from 'node:tty'
import { codeFromCommand } from '../mfa/codeFromCommand.js'
import { promptForCode, type PromptInput } from '../mfa/promptForCode.js'
import { totp } from '../mfa/totp.js'
import type { MfaCodeProvider } from '../transforms/withMfa.js'
import { CredentialError } from '../errors.js'
import { COMMAND, usageError } from './flags.js'
import type { SecretSpec } from './sourceSpec.js'

/** Where the MFA prompt is shown and typed; `close()` releases it after each code. */
export type Terminal = {
  readonly input: PromptInput
  readonly output: NodeJS.WritableStream
  readonly close: () => void
}

/**
 * The controlling terminal, opened directly: the AWS CLI runs `credential_process` with
 * stdout and stderr piped, so a prompt there would never be seen. Undefined when the
 * process has no terminal (CI, services, Windows).
 */
export const openControllingTerminal = (): Terminal | undefined => {
  try {
    const input = new ReadStream(openSync('/dev/tty', 'r'))
    const output = new WriteStream(openSync('/dev/tty', 'w'))
    // A hung-up terminal (SIGHUP) fails writes with EIO: the signal handler exits, not an uncaught error.
    input.on('error', () => undefined)
    output.on('error', () => undefined)
    return {
      input,
      output,
      close: () => {
        input.destroy()
        output.destroy()
      },
    }
  } catch {
    // No /dev/tty (Windows, or no controlling terminal): a terminal on stdin still works.
    return process.stdin.isTTY === true
      ? { input: process.stdin, output: process.stderr, close: () => process.stdin.pause() }
      : undefined
  }
}

/** The call's signal and the run's (SIGINT, SIGTERM, SIGHUP): either one ends the prompt and gives the terminal back. */
const eitherSignal = (call: AbortSignal | undefined, run: AbortSignal | undefined): AbortSignal | undefined =>
  call === undefined ? run : run === undefined ? call : AbortSignal.any([call, run])

const prompt =
  (openTerminal: () => Terminal | undefined, signal: AbortSignal | undefined): MfaCodeProvider =>
  async (serialNumber, call) => {
    const terminal = openTerminal()
    if (terminal === undefined)
      throw new CredentialError(
        `no terminal to ask for the MFA code of ${serialNumber}; give --mfa-totp-secret-env NAME or --mfa-command "CMD"`,
        {
          code: 'MfaRequired',
          source: COMMAND,
        },
      )
    try {
      return await promptForCode({ input: terminal.input, output: terminal.output })(serialNumber, {
        signal: eitherSignal(call?.signal, signal),
      })
    } finally {
      terminal.close()
    }
  }

/**
 * The MFA code provider the flags ask for: TOTP from the base32 secret in the environment
 * variable `--mfa-totp-secret-env`, the command `--mfa-command`, or else a prompt on the
 * terminal. Built before any I/O, so a missing variable is a usage error.
 * @throws CredentialError `InvalidConfiguration` when the variable is unset or not base32.
 */
export const mfaFromFlags = (
  secrets: SecretSpec,
  env: NodeJS.ProcessEnv,
  openTerminal: () => Terminal | undefined,
  signal?: AbortSignal,
): MfaCodeProvider => {
  if (secrets.mfaTotpSecretEnv !== undefined) {
    const secret = env[secrets.mfaTotpSecretEnv]
    if (secret === undefined || secret === '')
      throw usageError(`--mfa-totp-secret-env: the environment variable ${secrets.mfaTotpSecretEnv} is not set`)
    return totp(secret)
  }
  if (secrets.mfaCommand !== undefined) return codeFromCommand(secrets.mfaCommand as [string, ...string[]], { env })
  return prompt(openTerminal, signal)
}
