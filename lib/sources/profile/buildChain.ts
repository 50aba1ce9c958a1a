import type { STSClientConfig } from '@aws-sdk/client-sts'
import { CredentialError } from '../../errors.js'
import { loadPeer } from '../../internal/loadPeer.js'
import { defined } from '../../internal/defined.js'
import type { Logger } from '../../internal/sdkLogger.js'
import type { AwsCredentialIdentityProvider, CredentialSource } from '../../types.js'
import { fromAssumeRole } from '../fromAssumeRole.js'
import { fromWebIdentity } from '../fromWebIdentity.js'
import { badProfile, type ProfileBase, type ProfilePlan } from './planProfile.js'
import type { ProfileFiles } from './profileFiles.js'

/** What every hop's private STS client gets. */
export type ChainOptions = {
  readonly files: ProfileFiles
  readonly clientConfig: STSClientConfig | undefined
  readonly logger: Logger | undefined
  readonly timeoutMs: number | undefined
}

type Providers = typeof import('@aws-sdk/credential-providers')

/** A provider of `@aws-sdk/credential-providers`, loaded at its first call only (an optional peer). */
const delegated = (
  profile: string,
  what: string,
  make: (p: Providers) => AwsCredentialIdentityProvider,
): CredentialSource => {
  let provider: Promise<AwsCredentialIdentityProvider> | undefined
  const load = async (): Promise<AwsCredentialIdentityProvider> => {
    // By name (no `load`): an optional peer a bundler must not try to resolve.
    return make(
      await loadPeer<Providers>('@aws-sdk/credential-providers', {
        source: 'fromProfile',
        purpose: `profile "${profile}" (${what})`,
      }),
    )
  }
  return async (context) => {
    provider ??= load().catch((e: unknown) => {
      provider = undefined
      throw e
    })
    return (await provider)(context)
  }
}

const stsOptions = (o: ChainOptions, region: string | undefined) =>
  defined({
    clientConfig: o.clientConfig,
    region: o.clientConfig?.region !== undefined ? undefined : region,
    logger: o.logger,
    timeoutMs: o.timeoutMs,
  })

const baseSource = (base: ProfileBase, o: ChainOptions, region: string | undefined): CredentialSource => {
  const init = {
    profile: base.profile,
    ...(o.files.filepath ? { filepath: o.files.filepath } : {}),
    ...(o.files.configFilepath ? { configFilepath: o.files.configFilepath } : {}),
  }
  switch (base.kind) {
    case 'static': {
      const creds = {
        accessKeyId: base.accessKeyId,
        secretAccessKey: base.secretAccessKey,
        ...(base.sessionToken ? { sessionToken: base.sessionToken } : {}),
      }
      return () => Promise.resolve(creds)
    }
    case 'sso':
      return delegated(base.profile, 'SSO', (p) => p.fromSSO(init))
    case 'process':
      return delegated(base.profile, 'credential_process', (p) => p.fromProcess(init))
    case 'Environment':
      return delegated(base.profile, 'credential_source Environment', (p) => p.fromEnv())
    case 'Ec2InstanceMetadata':
      return delegated(base.profile, 'credential_source Ec2InstanceMetadata', (p) => p.fromInstanceMetadata())
    case 'EcsContainer':
      return delegated(base.profile, 'credential_source EcsContainer', (p) => p.fromContainerMetadata())
    case 'web-identity':
      return fromWebIdentity(
        {
          RoleArn: base.roleArn,
          WebIdentityTokenFile: base.tokenFile,
          ...(base.sessionName ? { RoleSessionName: base.sessionName } : {}),
          ...(base.durationSeconds ? { DurationSeconds: base.durationSeconds } : {}),
        },
        stsOptions(o, region),
      )
  }
}

/** Rethrows a source's refusal of a profile's value as an error naming the profile. */
const naming = <A>(profile: string, build: () => A): A => {
  try {
    return build()
  } catch (e) {
    if (e instanceof CredentialError && e.code === 'InvalidConfiguration')
      throw badProfile(profile, `is not valid: ${e.message}`)
    throw e
  }
}

/**
 * The sources of a plan: the base, then one `fromAssumeRole` per hop whose `source` is the
 * previous one. Every hop's STS client gets the same `clientConfig`, logger and the target
 * profile's region (unless `clientConfig.region` is set). Returns the last source and a
 * `close()` of every private client.
 */
export const buildChain = (
  plan: ProfilePlan,
  o: ChainOptions,
): { readonly source: CredentialSource; readonly close: () => void } => {
  const sources: CredentialSource[] = [naming(plan.base.profile, () => baseSource(plan.base, o, plan.region))]
  for (const hop of plan.hops) {
    const params = {
      RoleArn: hop.roleArn,
      ...(hop.externalId ? { ExternalId: hop.externalId } : {}),
      ...(hop.sessionName ? { RoleSessionName: hop.sessionName } : {}),
      ...(hop.durationSeconds ? { DurationSeconds: hop.durationSeconds } : {}),
      ...(hop.mfaSerial ? { SerialNumber: hop.mfaSerial } : {}),
    }
    const previous = sources.at(-1)!
    sources.push(naming(hop.profile, () => fromAssumeRole(params, { ...stsOptions(o, plan.region), source: previous })))
  }
  return {
    source: sources.at(-1)!,
    close: () => {
      for (const s of sources) s.close?.()
    },
  }
}
