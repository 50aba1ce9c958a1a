import { resolve } from 'node:path'
import { type Flags, integerFlag, stringFlag, usageError } from './flags.js'
import { PATH_FLAGS } from './loadConfig.js'
import { splitCommand } from './splitCommand.js'

/** The kinds of source the CLI builds. */
export type SourceKind = 'assume-role' | 'session-token' | 'web-identity' | 'iot' | 'roles-anywhere' | 'profile'

/** What the two sources signed by a base user (AssumeRole, GetSessionToken) share: its MFA device, its profile, the STS call. */
type BaseUserSpec = {
  readonly durationSeconds?: number | undefined
  readonly mfaSerial?: string | undefined
  readonly baseProfile?: string | undefined
  readonly region?: string | undefined
  readonly endpointUrl?: string | undefined
}

/**
 * What identifies a source's credentials: everything that changes which credentials STS or
 * IoT hands out, and nothing secret. The cache key is made from it.
 */
export type SourceSpec =
  | (BaseUserSpec & {
      readonly kind: 'assume-role'
      readonly roleArn: string
      readonly roleSessionName?: string | undefined
      readonly externalId?: string | undefined
    })
  | (BaseUserSpec & { readonly kind: 'session-token' })
  | {
      readonly kind: 'web-identity'
      readonly roleArn: string
      readonly webIdentityTokenFile: string
      readonly roleSessionName?: string | undefined
      readonly durationSeconds?: number | undefined
      readonly region?: string | undefined
      readonly endpointUrl?: string | undefined
    }
  | {
      readonly kind: 'profile'
      readonly profile: string
      readonly region?: string | undefined
      readonly endpointUrl?: string | undefined
    }
  | {
      readonly kind: 'iot'
      readonly roleAlias: string
      readonly certificate: string
      readonly privateKey: string
      readonly endpoint?: string | undefined
      readonly thingName?: string | undefined
      readonly ca?: string | undefined
      readonly durationSeconds?: number | undefined
      readonly region?: string | undefined
    }
  | {
      readonly kind: 'roles-anywhere'
      readonly trustAnchorArn: string
      readonly profileArn: string
      readonly roleArn: string
      readonly certificate: string
      readonly privateKey: string
      readonly intermediates?: string | undefined
      readonly roleSessionName?: string | undefined
      readonly durationSeconds?: number | undefined
      readonly endpoint?: string | undefined
      readonly region?: string | undefined
    }

/** How the CLI gets what it must not take as a flag value: the MFA code and the key passphrase. */
export type SecretSpec = {
  /** The environment variable holding the base32 TOTP secret. */
  readonly mfaTotpSecretEnv?: string | undefined
  /** The argv of a command printing the code. */
  readonly mfaCommand?: readonly string[] | undefined
  /** The environment variable holding the IoT private key's passphrase. */
  readonly passphraseEnv?: string | undefined
}

/** A source described by flags: the spec (cache key material) and how to get its secrets. */
export type CliSource = { readonly spec: SourceSpec; readonly secrets: SecretSpec }

/** The flags of {@link BaseUserSpec}, with the two ways to get its MFA code. */
const BASE_USER_FLAGS: readonly string[] = [
  'duration-seconds',
  'mfa-serial',
  'mfa-totp-secret-env',
  'mfa-command',
  'base-profile',
  'region',
  'endpoint-url',
]

const KIND_FLAGS: Readonly<Record<SourceKind, readonly string[]>> = {
  'assume-role': ['role-session-name', 'external-id', ...BASE_USER_FLAGS],
  'session-token': BASE_USER_FLAGS,
  'web-identity': [
    'role-arn',
    'web-identity-token-file',
    'role-session-name',
    'duration-seconds',
    'region',
    'endpoint-url',
  ],
  iot: [
    'endpoint',
    'role-alias',
    'thing-name',
    'certificate',
    'private-key',
    'passphrase-env',
    'ca',
    'duration-seconds',
    'region',
  ],
  // The flag names of AWS's rolesanywhere-credential-helper, so its credential_process lines carry over.
  'roles-anywhere': [
    'trust-anchor-arn',
    'profile-arn',
    'role-arn',
    'certificate',
    'private-key',
    'intermediates',
    'passphrase-env',
    'session-duration',
    'duration-seconds',
    'role-session-name',
    'endpoint',
    'region',
  ],
  profile: ['mfa-totp-secret-env', 'mfa-command', 'region', 'endpoint-url'],
}
const KINDS = Object.keys(KIND_FLAGS) as SourceKind[]
const ALL_SOURCE_FLAGS = new Set(Object.values(KIND_FLAGS).flat())
const MAX_DURATION: Readonly<Record<SourceKind, number>> = {
  'assume-role': 43_200,
  'session-token': 129_600,
  'web-identity': 43_200,
  iot: 43_200,
  'roles-anywhere': 43_200,
  profile: 43_200,
}

const kindOf = (flags: Flags): SourceKind => {
  const given = KINDS.filter((k) => flags[k] !== undefined && flags[k] !== false)
  if (given.length === 0)
    throw usageError(
      'no source: give one of --assume-role ARN, --session-token, --web-identity, --iot, --roles-anywhere or --profile NAME (or a --config file)',
    )
  if (given.length > 1) throw usageError(`give only one source; got ${given.map((k) => `--${k}`).join(' and ')}`)
  return given[0]!
}

const checkApplicable = (flags: Flags, kind: SourceKind): void => {
  const allowed = new Set(KIND_FLAGS[kind])
  for (const [name, value] of Object.entries(flags)) {
    if (value === undefined || !ALL_SOURCE_FLAGS.has(name) || allowed.has(name)) continue
    const hint = name === 'role-arn' && kind === 'assume-role' ? '; give the role as --assume-role ARN' : ''
    throw usageError(`--${name} does not apply to --${kind}${hint}`)
  }
}

const required = (flags: Flags, name: string, kind: SourceKind, fallback?: string): string => {
  const v = stringFlag(flags, name) ?? fallback
  if (v === undefined) throw usageError(`--${kind} needs --${name}`)
  return v
}

const pathFlag = (flags: Flags, name: string, cwd: string): string | undefined => {
  const v = stringFlag(flags, name)
  return v === undefined || !PATH_FLAGS.has(name) ? v : resolve(cwd, v)
}

const envName = (flags: Flags, name: string): string | undefined => {
  const v = stringFlag(flags, name)
  if (v !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v))
    throw usageError(`--${name} takes the NAME of an environment variable (never the secret itself)`)
  return v
}

const secretsOf = (flags: Flags, mfaSerial: string | undefined): SecretSpec => {
  const mfaTotpSecretEnv = envName(flags, 'mfa-totp-secret-env')
  const raw = flags['mfa-command']
  const mfaCommand =
    raw === undefined
      ? undefined
      : Array.isArray(raw)
        ? (raw as readonly string[])
        : splitCommand(stringFlag(flags, 'mfa-command')!)
  if (mfaTotpSecretEnv !== undefined && mfaCommand !== undefined)
    throw usageError('give only one of --mfa-totp-secret-env and --mfa-command')
  if ((mfaTotpSecretEnv !== undefined || mfaCommand !== undefined) && mfaSerial === undefined)
    throw usageError(
      `--${mfaCommand ? 'mfa-command' : 'mfa-totp-secret-env'} needs --mfa-serial (the ARN of the MFA device)`,
    )
  if (mfaCommand !== undefined && (mfaCommand.length === 0 || mfaCommand[0] === ''))
    throw usageError('--mfa-command needs a command to run')
  const passphraseEnv = envName(flags, 'passphrase-env')
  return {
    ...(mfaTotpSecretEnv && { mfaTotpSecretEnv }),
    ...(mfaCommand && { mfaCommand }),
    ...(passphraseEnv && { passphraseEnv }),
  }
}

const specOf = (flags: Flags, kind: SourceKind, env: NodeJS.ProcessEnv, cwd: string): SourceSpec => {
  const s = (name: string): string | undefined => stringFlag(flags, name)
  const durationSeconds = integerFlag(flags, 'duration-seconds', 900, MAX_DURATION[kind])
  const common = { durationSeconds, region: s('region') }
  const sts = { ...common, endpointUrl: s('endpoint-url') }
  const baseUser = { mfaSerial: s('mfa-serial'), baseProfile: s('base-profile'), ...sts }
  switch (kind) {
    case 'assume-role':
      return {
        kind,
        roleArn: required(flags, 'assume-role', kind),
        roleSessionName: s('role-session-name'),
        externalId: s('external-id'),
        ...baseUser,
      }
    case 'session-token':
      return { kind, ...baseUser }
    case 'web-identity':
      return {
        kind,
        roleArn: required(flags, 'role-arn', kind, env['AWS_ROLE_ARN'] || undefined),
        webIdentityTokenFile: resolve(
          cwd,
          required(flags, 'web-identity-token-file', kind, env['AWS_WEB_IDENTITY_TOKEN_FILE'] || undefined),
        ),
        roleSessionName: s('role-session-name'),
        ...sts,
      }
    case 'profile':
      return { kind, profile: required(flags, 'profile', kind), region: s('region'), endpointUrl: s('endpoint-url') }
    case 'iot':
      return {
        kind,
        roleAlias: required(flags, 'role-alias', kind),
        certificate: resolve(cwd, required(flags, 'certificate', kind)),
        privateKey: resolve(cwd, required(flags, 'private-key', kind)),
        endpoint: s('endpoint'),
        thingName: s('thing-name'),
        ca: pathFlag(flags, 'ca', cwd),
        ...common,
      }
    case 'roles-anywhere':
      return {
        kind,
        trustAnchorArn: required(flags, 'trust-anchor-arn', kind),
        profileArn: required(flags, 'profile-arn', kind),
        roleArn: required(flags, 'role-arn', kind),
        certificate: resolve(cwd, required(flags, 'certificate', kind)),
        privateKey: resolve(cwd, required(flags, 'private-key', kind)),
        intermediates: pathFlag(flags, 'intermediates', cwd),
        roleSessionName: s('role-session-name'),
        endpoint: s('endpoint'),
        region: s('region'),
        durationSeconds: integerFlag(flags, 'session-duration', 900, 43_200) ?? durationSeconds,
      }
  }
}

/** Drops undefined members, so equal sources give equal specs (and equal cache keys). */
const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

/**
 * Turns flags (already merged with a `--config` file) into a {@link CliSource}: exactly one
 * source, only the flags that apply to it, required flags present, numbers in range.
 * Web identity falls back to `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`. Relative
 * paths are resolved against `cwd`.
 * @throws CredentialError `InvalidConfiguration` (a usage error) naming the flag.
 */
export const sourceSpec = (flags: Flags, env: NodeJS.ProcessEnv, cwd: string): CliSource => {
  const kind = kindOf(flags)
  checkApplicable(flags, kind)
  const spec = compact(specOf(flags, kind, env, cwd))
  // A profile's serial is its mfa_serial, read from the files.
  return {
    spec,
    secrets: secretsOf(
      flags,
      'mfaSerial' in spec ? spec.mfaSerial : spec.kind === 'profile' ? spec.profile : undefined,
    ),
  }
}
