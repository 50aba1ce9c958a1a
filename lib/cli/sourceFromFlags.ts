import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { defined } from '../internal/defined.js'
import { fromAssumeRole } from '../sources/fromAssumeRole.js'
import { fromIotCertificate } from '../sources/fromIotCertificate.js'
import { fromRolesAnywhere } from '../sources/fromRolesAnywhere.js'
import { fromProfile } from '../sources/fromProfile.js'
import { fromSessionToken } from '../sources/fromSessionToken.js'
import { fromWebIdentity } from '../sources/fromWebIdentity.js'
import type { StsSourceOptions } from '../sources/sts/stsClient.js'
import { withMfa } from '../transforms/withMfa.js'
import type { CredentialSource, MfaCapableSource } from '../types.js'
import { usageError } from './flags.js'
import { fromBaseProfile } from './fromBaseProfile.js'
import { mfaFromFlags, type Terminal } from './mfaFromFlags.js'
import type { CliSource, SourceSpec } from './sourceSpec.js'

/** The outside world a CLI source needs. */
export type SourceDeps = {
  readonly env: NodeJS.ProcessEnv
  /** Opens the terminal for an MFA prompt. */
  readonly openTerminal: () => Terminal | undefined
  /** Base credentials of the STS sources when no `--base-profile` is given. @default the SDK's default chain */
  readonly baseCredentials?: AwsCredentialIdentityProvider | undefined
  /** The run's signal: it also ends an MFA prompt that a background refresh opened (`serve`). */
  readonly signal?: AbortSignal | undefined
}

type StsSpec = Extract<SourceSpec, { kind: 'assume-role' | 'session-token' }>

const stsOptions = (
  spec: SourceSpec & { endpointUrl?: string | undefined; baseProfile?: string | undefined },
  deps: SourceDeps,
): StsSourceOptions => {
  const base = spec.baseProfile === undefined ? deps.baseCredentials : fromBaseProfile(spec.baseProfile, deps.env)
  return defined({ region: spec.region, source: base, clientConfig: defined({ endpoint: spec.endpointUrl }) })
}

const withMfaIfSerial = (source: MfaCapableSource, cli: CliSource, deps: SourceDeps): CredentialSource =>
  source.mfaSerialNumber === undefined
    ? source
    : withMfa(mfaFromFlags(cli.secrets, deps.env, deps.openTerminal, deps.signal))(source)

const stsSource = (spec: StsSpec, cli: CliSource, deps: SourceDeps): CredentialSource => {
  const options = stsOptions(spec, deps)
  const source =
    spec.kind === 'assume-role'
      ? fromAssumeRole(
          defined({
            RoleArn: spec.roleArn,
            RoleSessionName: spec.roleSessionName,
            ExternalId: spec.externalId,
            DurationSeconds: spec.durationSeconds,
            SerialNumber: spec.mfaSerial,
          }),
          options,
        )
      : fromSessionToken(defined({ DurationSeconds: spec.durationSeconds, SerialNumber: spec.mfaSerial }), options)
  return withMfaIfSerial(source, cli, deps)
}

const passphrase = (cli: CliSource, env: NodeJS.ProcessEnv): string | undefined => {
  const name = cli.secrets.passphraseEnv
  if (name === undefined) return undefined
  const value = env[name]
  if (value === undefined) throw usageError(`--passphrase-env: the environment variable ${name} is not set`)
  return value
}

/**
 * Builds the library source a {@link CliSource} describes: `fromAssumeRole` or
 * `fromSessionToken` (with `withMfa` when `--mfa-serial` is set), `fromWebIdentity`,
 * `fromIotCertificate`, `fromRolesAnywhere`, or `fromProfile` (with `withMfa` when the profile has `mfa_serial`). Does no network I/O; reads only the key files.
 * @throws CredentialError `InvalidConfiguration` for options the library refuses.
 */
export const sourceFromFlags = (cli: CliSource, deps: SourceDeps): CredentialSource => {
  const spec = cli.spec
  switch (spec.kind) {
    case 'assume-role':
    case 'session-token':
      return stsSource(spec, cli, deps)
    case 'web-identity':
      return fromWebIdentity(
        defined({
          RoleArn: spec.roleArn,
          WebIdentityTokenFile: spec.webIdentityTokenFile,
          RoleSessionName: spec.roleSessionName,
          DurationSeconds: spec.durationSeconds,
        }),
        stsOptions(spec, deps),
      )
    case 'profile':
      return withMfaIfSerial(
        fromProfile(
          spec.profile,
          defined({
            filepath: deps.env['AWS_SHARED_CREDENTIALS_FILE'] || undefined,
            configFilepath: deps.env['AWS_CONFIG_FILE'] || undefined,
            clientConfig: defined({ endpoint: spec.endpointUrl, region: spec.region }),
          }),
        ),
        cli,
        deps,
      )
    case 'iot':
      return fromIotCertificate(
        defined({
          endpoint: spec.endpoint,
          region: spec.region,
          roleAlias: spec.roleAlias,
          thingName: spec.thingName,
          durationSeconds: spec.durationSeconds,
          certificate: spec.certificate,
          privateKey: spec.privateKey,
          passphrase: passphrase(cli, deps.env),
          ca: spec.ca,
        }),
      )
    case 'roles-anywhere':
      return fromRolesAnywhere(
        defined({
          trustAnchorArn: spec.trustAnchorArn,
          profileArn: spec.profileArn,
          roleArn: spec.roleArn,
          certificate: spec.certificate,
          privateKey: spec.privateKey,
          passphrase: passphrase(cli, deps.env),
          intermediates: spec.intermediates,
          roleSessionName: spec.roleSessionName,
          durationSeconds: spec.durationSeconds,
          endpoint: spec.endpoint,
          region: spec.region,
        }),
      )
  }
}
