import { parseArgs } from 'node:util'
import { CredentialError } from '../errors.js'

/** The command name, as users type it and as errors are prefixed. */
export const COMMAND = 'aws-refresh-session'

/** The subcommands. */
export type Subcommand = 'credential-process' | 'serve'

/** Flag values after parsing: a string, `true` for a switch, or argv for `mfa-command` from a config file. */
export type FlagValue = string | boolean | readonly string[]

/** Parsed flags by long name (without `--`). */
export type Flags = Readonly<Record<string, FlagValue | undefined>>

type OptionSpec = { readonly type: 'string' | 'boolean'; readonly short?: string }

/** Flags that describe the credential source; the only keys a `--config` file may hold. */
export const SOURCE_FLAGS: Readonly<Record<string, OptionSpec>> = {
  'assume-role': { type: 'string' },
  'session-token': { type: 'boolean' },
  'web-identity': { type: 'boolean' },
  iot: { type: 'boolean' },
  'roles-anywhere': { type: 'boolean' },
  'role-arn': { type: 'string' },
  'role-session-name': { type: 'string' },
  'external-id': { type: 'string' },
  'duration-seconds': { type: 'string' },
  'mfa-serial': { type: 'string' },
  'mfa-totp-secret-env': { type: 'string' },
  'mfa-command': { type: 'string' },
  'base-profile': { type: 'string' },
  profile: { type: 'string' },
  'web-identity-token-file': { type: 'string' },
  endpoint: { type: 'string' },
  'role-alias': { type: 'string' },
  'thing-name': { type: 'string' },
  certificate: { type: 'string' },
  'private-key': { type: 'string' },
  'passphrase-env': { type: 'string' },
  ca: { type: 'string' },
  'trust-anchor-arn': { type: 'string' },
  'profile-arn': { type: 'string' },
  intermediates: { type: 'string' },
  'session-duration': { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
}

const COMMON_FLAGS: Readonly<Record<string, OptionSpec>> = {
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
}

/** The flags of each subcommand besides the source flags. */
export const SUBCOMMAND_FLAGS: Readonly<Record<Subcommand, Readonly<Record<string, OptionSpec>>>> = {
  'credential-process': { 'cache-dir': { type: 'string' }, 'no-cache': { type: 'boolean' } },
  serve: { port: { type: 'string' }, json: { type: 'boolean' } },
}

/** A usage error: bad, missing or conflicting flags. The CLI exits with code 2 for it. */
export const usageError = (message: string): CredentialError =>
  new CredentialError(message, { code: 'InvalidConfiguration', source: COMMAND })

/** A value that is safe to echo in an error: a flag-like or word-like token, never free text. */
const echo = (token: string): string => (/^-{0,2}[A-Za-z][\w-]{0,40}$/.test(token) ? ` '${token}'` : '')

type ParseArgsError = Error & { code?: string }

const renderParseError = (e: ParseArgsError, subcommand: Subcommand): CredentialError => {
  const help = `run '${COMMAND} ${subcommand} --help'`
  const option = /'(-{1,2}[^'\s=]+)/.exec(e.message)?.[1]
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return usageError(`${subcommand}: unknown option${option ? echo(option) : ''}; ${help}`)
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = option ? echo(option) : ''
      if (/ambiguous/.test(e.message))
        return usageError(
          `${subcommand}: the value of option${name} starts with '-'; write it as ${option ?? '--option'}=VALUE`,
        )
      return usageError(
        `${subcommand}: option${name} ${/argument missing/.test(e.message) ? 'needs a value' : 'takes no value'}; ${help}`,
      )
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return usageError(
        `${subcommand}: unexpected argument${echo(/'([^']*)'/.exec(e.message)?.[1] ?? '')}; every value belongs to a --flag; ${help}`,
      )
    default:
      return usageError(`${subcommand}: could not read the arguments; ${help}`)
  }
}

/**
 * Parses a subcommand's arguments with `node:util` `parseArgs` (strict: unknown flags,
 * missing values and stray arguments are usage errors). A flag given twice keeps the last.
 */
export const parseFlags = (subcommand: Subcommand, argv: readonly string[]): Flags => {
  const options = { ...SOURCE_FLAGS, ...COMMON_FLAGS, ...SUBCOMMAND_FLAGS[subcommand] }
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false })
    return values
  } catch (e) {
    throw renderParseError(e as ParseArgsError, subcommand)
  }
}

/** A string flag, or undefined; `true` (a switch given to a value flag in a config file) is a usage error. */
export const stringFlag = (flags: Flags, name: string): string | undefined => {
  const v = flags[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v === '') throw usageError(`--${name} needs a non-empty value`)
  return v
}

/** An integer flag within [min, max], or undefined. */
export const integerFlag = (flags: Flags, name: string, min: number, max: number): number | undefined => {
  const v = stringFlag(flags, name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!/^\d+$/.test(v) || n < min || n > max) throw usageError(`--${name} must be a whole number from ${min} to ${max}`)
  return n
}
