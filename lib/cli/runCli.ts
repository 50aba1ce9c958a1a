import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { isCredentialError } from '../errors.js'
import { describeError } from '../internal/redact.js'
import type { CredentialSource } from '../types.js'
import { cliCacheFile } from './cachedOutput.js'
import { credentialProcess } from './credentialProcess.js'
import { COMMAND, type Flags, integerFlag, parseFlags, stringFlag, type Subcommand, usageError } from './flags.js'
import { helpText } from './help.js'
import { withConfig } from './loadConfig.js'
import { openControllingTerminal, type Terminal } from './mfaFromFlags.js'
import { serve } from './serve.js'
import { sourceFromFlags } from './sourceFromFlags.js'
import { type CliSource, sourceSpec } from './sourceSpec.js'

/** Everything the CLI touches of the outside world, passed in so tests run it in-process. */
export type CliIo = {
  /** The arguments after the program name. */
  readonly argv: readonly string[]
  readonly env: NodeJS.ProcessEnv
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
  /** Relative paths are resolved against it. */
  readonly cwd: string
  /** For the default cache directory. */
  readonly homeDir: string
  /** Printed by `--version`. */
  readonly version: string
  /** The clock, epoch ms. @default Date.now */
  readonly now?: (() => number) | undefined
  /** `serve` stops when it aborts. @default never */
  readonly signal?: AbortSignal | undefined
  /** Opens the terminal for an MFA prompt. @default the controlling terminal (/dev/tty) */
  readonly openTerminal?: () => Terminal | undefined
  /** Base credentials of the STS sources without `--base-profile`. @default the SDK's default chain */
  readonly baseCredentials?: AwsCredentialIdentityProvider | undefined
}

/** Exit codes: success, no credentials, usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

const SUBCOMMANDS: readonly Subcommand[] = ['credential-process', 'serve']
const isSubcommand = (s: string | undefined): s is Subcommand => SUBCOMMANDS.includes(s as Subcommand)

/** The package a `Cannot find module` error names, when it is a package (not a path). */
const missingPackage = (e: unknown): string | undefined => {
  const { code, message } = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; message?: unknown }
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return undefined
  const name = /'([^']+)'/.exec(String(message))?.[1]
  return name !== undefined && /^(@[\w.-]+\/)?[\w.-]+$/.test(name) ? name : undefined
}

/** A human message for stderr: the error's own (secret-free) message, its code, and a redacted cause. */
export const renderError = (e: unknown, usage: boolean): string => {
  const pkg = missingPackage(e) ?? missingPackage((e as { cause?: unknown } | undefined)?.cause)
  if (pkg !== undefined)
    return `${COMMAND}: this source needs the package ${pkg}; install it where ${COMMAND} is installed (npm install ${pkg})\n`
  if (!isCredentialError(e)) return `${COMMAND}: unexpected error: ${describeError(e)}\n`
  if (usage) return `${COMMAND}: ${e.message}\n`
  const cause = e.cause !== undefined && !isCredentialError(e.cause) ? `\n  cause: ${describeError(e.cause)}` : ''
  return `${COMMAND}: ${e.message} [${e.code}]${cause}\n`
}

type Prepared = {
  readonly subcommand: Subcommand
  readonly flags: Flags
  readonly cli: CliSource
  readonly source: CredentialSource
}

/** Everything that can fail before I/O: flags, config file, source options, MFA settings. */
const prepare = (subcommand: Subcommand, flags: Flags, io: CliIo): Prepared => {
  const merged = withConfig(flags, io.cwd)
  const cli = sourceSpec(merged, io.env, io.cwd)
  if (merged['no-cache'] === true && merged['cache-dir'] !== undefined)
    throw usageError('give only one of --cache-dir and --no-cache')
  integerFlag(merged, 'port', 0, 65_535)
  const source = sourceFromFlags(cli, {
    env: io.env,
    openTerminal: io.openTerminal ?? openControllingTerminal,
    baseCredentials: io.baseCredentials,
    signal: io.signal,
  })
  return { subcommand, flags: merged, cli, source }
}

const execute = async (p: Prepared, io: CliIo): Promise<void> => {
  if (p.subcommand === 'serve')
    return serve({
      source: p.source,
      port: integerFlag(p.flags, 'port', 0, 65_535),
      json: p.flags['json'] === true,
      stdout: io.stdout,
      stderr: io.stderr,
      signal: io.signal,
      now: io.now,
    })
  stringFlag(p.flags, 'cache-dir')
  const cache = cliCacheFile(io.argv.slice(1), io.env, io.cwd, io.homeDir)
  return credentialProcess({
    source: p.source,
    cache,
    stdout: io.stdout,
    stderr: io.stderr,
    now: io.now,
    signal: io.signal,
  })
}

/** `help`, `--help`, `--version` and a missing or unknown command; undefined when argv names a subcommand. */
const meta = (io: CliIo): number | undefined => {
  const [first, second] = io.argv
  if (first === undefined) {
    io.stderr.write(helpText())
    return EXIT.usage
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    if (second !== undefined && !isSubcommand(second)) {
      io.stderr.write(
        renderError(
          usageError(
            `help: no command '${/^[\w-]{1,40}$/.test(second) ? second : '…'}'; the commands are ${SUBCOMMANDS.join(', ')}`,
          ),
          true,
        ),
      )
      return EXIT.usage
    }
    io.stdout.write(helpText(second))
    return EXIT.ok
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${io.version}\n`)
    return EXIT.ok
  }
  if (isSubcommand(first)) return undefined
  const shown = /^-{0,2}[\w-]{1,40}$/.test(first) ? ` '${first}'` : ''
  io.stderr.write(
    renderError(
      usageError(`unknown command${shown}; the commands are ${SUBCOMMANDS.join(', ')}; run '${COMMAND} --help'`),
      true,
    ),
  )
  return EXIT.usage
}

/**
 * Runs the `aws-refresh-session` command line and resolves to its exit code: 0 on success,
 * 1 when no credentials could be had, 2 for a usage error (bad, missing or conflicting
 * flags, an unreadable config file). Errors are one message on `stderr`, never a stack
 * trace or a secret. Closes the source it built before resolving.
 */
export const runCli = async (io: CliIo): Promise<number> => {
  const early = meta(io)
  if (early !== undefined) return early
  const subcommand = io.argv[0] as Subcommand
  let prepared: Prepared
  try {
    const flags = parseFlags(subcommand, io.argv.slice(1))
    if (flags['help'] === true) {
      io.stdout.write(helpText(subcommand))
      return EXIT.ok
    }
    prepared = prepare(subcommand, flags, io)
  } catch (e) {
    const usage = isCredentialError(e, 'InvalidConfiguration')
    io.stderr.write(renderError(e, usage))
    return usage ? EXIT.usage : EXIT.failed
  }
  try {
    await execute(prepared, io)
    return EXIT.ok
  } catch (e) {
    io.stderr.write(renderError(e, false))
    return EXIT.failed
  } finally {
    prepared.source.close?.()
  }
}
