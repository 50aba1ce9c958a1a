import { CredentialError } from '../../errors.js'
import type { Defined } from '../../internal/defined.js'
import type { Profile, Profiles } from './profileFiles.js'

/** Where the first credentials of a profile chain come from. */
export type ProfileBase =
  | {
      readonly kind: 'static'
      readonly profile: string
      readonly accessKeyId: string
      readonly secretAccessKey: string
      readonly sessionToken?: string
    }
  | { readonly kind: 'sso' | 'process'; readonly profile: string }
  | { readonly kind: 'Environment' | 'Ec2InstanceMetadata' | 'EcsContainer'; readonly profile: string }
  | {
      readonly kind: 'web-identity'
      readonly profile: string
      readonly roleArn: string
      readonly tokenFile: string
      readonly sessionName?: string
      readonly durationSeconds?: number
    }

/** One AssumeRole of the chain, from the profile that names the role. */
export type ProfileHop = {
  readonly profile: string
  readonly roleArn: string
  readonly externalId?: string
  readonly sessionName?: string
  readonly durationSeconds?: number
  /** Only on the last hop: the target profile's `mfa_serial`. */
  readonly mfaSerial?: string
}

/** A profile resolved: the base credentials, the roles to assume in order, the target's region. */
export type ProfilePlan = {
  readonly base: ProfileBase
  readonly hops: readonly ProfileHop[]
  readonly region?: string
  readonly mfaSerial?: string
}

const SOURCE = 'fromProfile'
const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const

/** An `InvalidConfiguration` naming the profile; never echoes a value. */
export const badProfile = (profile: string, problem: string): CredentialError =>
  new CredentialError(`${SOURCE}: profile "${profile}" ${problem}`, { code: 'InvalidConfiguration', source: SOURCE })

/** The profile's settings that are set (the config files write an unset value as ''). */
const present = <T extends object>(o: T): Defined<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Defined<T>

const duration = (name: string, p: Profile): number | undefined => {
  const raw = p['duration_seconds']
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || n < 900 || n > 43_200)
    throw badProfile(name, 'has duration_seconds outside 900-43200 (an integer number of seconds)')
  return n
}

const staticKeys = (name: string, p: Profile): ProfileBase | undefined => {
  const accessKeyId = p['aws_access_key_id']
  const secretAccessKey = p['aws_secret_access_key']
  if (!accessKeyId && !secretAccessKey) return undefined
  if (!accessKeyId || !secretAccessKey) throw badProfile(name, 'needs both aws_access_key_id and aws_secret_access_key')
  return present({
    kind: 'static' as const,
    profile: name,
    accessKeyId,
    secretAccessKey,
    sessionToken: p['aws_session_token'],
  })
}

/** The base of a profile without `role_arn` (or a self-referencing one: its own keys). */
const baseOf = (name: string, p: Profile): ProfileBase => {
  if (p['sso_session'] || p['sso_start_url']) return { kind: 'sso', profile: name }
  if (p['credential_process']) return { kind: 'process', profile: name }
  const keys = staticKeys(name, p)
  if (keys) return keys
  if (p['web_identity_token_file']) throw badProfile(name, 'has web_identity_token_file but no role_arn')
  throw badProfile(
    name,
    'holds no credentials: give aws_access_key_id and aws_secret_access_key, role_arn with source_profile or credential_source, SSO settings or credential_process',
  )
}

const hopOf = (name: string, p: Profile, last: boolean): ProfileHop =>
  present({
    profile: name,
    roleArn: p['role_arn']!,
    externalId: p['external_id'],
    sessionName: p['role_session_name'],
    durationSeconds: duration(name, p),
    mfaSerial: last ? p['mfa_serial'] : undefined,
  })

const resolve = (
  profiles: Profiles,
  name: string,
  seen: readonly string[],
): { base: ProfileBase; hops: ProfileHop[] } => {
  const p = profiles[name]
  if (p === undefined)
    throw badProfile(
      name,
      seen.length === 0
        ? 'is not in the shared config or credentials file'
        : `(source_profile of "${seen.at(-1)}") is not in the shared config or credentials file`,
    )
  if (!p['role_arn']) return { base: baseOf(name, p), hops: [] }
  const last = seen.length === 0
  const source = p['source_profile']
  const credentialSource = p['credential_source']
  if (p['web_identity_token_file'] && !source && !credentialSource)
    return {
      base: present({
        kind: 'web-identity' as const,
        profile: name,
        roleArn: p['role_arn'],
        tokenFile: p['web_identity_token_file'],
        sessionName: p['role_session_name'],
        durationSeconds: duration(name, p),
      }),
      hops: [],
    }
  if (source && credentialSource) throw badProfile(name, 'sets both source_profile and credential_source; keep one')
  const hop = hopOf(name, p, last)
  if (credentialSource) {
    if (!(CREDENTIAL_SOURCES as readonly string[]).includes(credentialSource))
      throw badProfile(name, `has credential_source "${credentialSource}"; use one of ${CREDENTIAL_SOURCES.join(', ')}`)
    return { base: { kind: credentialSource as (typeof CREDENTIAL_SOURCES)[number], profile: name }, hops: [hop] }
  }
  if (!source) throw badProfile(name, 'has role_arn but neither source_profile nor credential_source')
  // A profile that names itself as source_profile assumes its role with its own keys.
  if (source === name) return { base: staticKeys(name, p) ?? baseOf(name, { ...p, role_arn: undefined }), hops: [hop] }
  if (seen.includes(source))
    throw badProfile(name, `makes a source_profile cycle: ${[...seen, name, source].join(' -> ')}`)
  const inner = resolve(profiles, source, [...seen, name])
  return { base: inner.base, hops: [...inner.hops, hop] }
}

/**
 * Resolves profile `name` of `profiles` into its chain, the way the AWS CLI and the SDK's
 * `fromIni` read the files: `role_arn` with `source_profile` (each profile of the chain one
 * AssumeRole, the innermost one's credentials first) or `credential_source`;
 * `role_arn` with `web_identity_token_file`; SSO and `credential_process` profiles; static
 * keys. Only the target profile's `mfa_serial` is used (the last hop).
 * @throws CredentialError `InvalidConfiguration` naming the profile for a missing, cyclic or
 * inconsistent profile.
 */
export const planProfile = (profiles: Profiles, name: string): ProfilePlan => {
  const { base, hops } = resolve(profiles, name, [])
  const target = profiles[name]!
  return present({ base, hops, region: target['region'], mfaSerial: hops.at(-1)?.mfaSerial })
}
