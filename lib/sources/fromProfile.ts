import type { STSClientConfig } from '@aws-sdk/client-sts'
import { checkLogger, logTo, type Logger } from '../internal/sdkLogger.js'
import { named } from '../internal/named.js'
import { MAX_TIMER_MS, requireObject } from '../internal/validate.js'
import { invalid } from './sts/stsValidate.js'
import type { MfaCapableSource, SourceContext } from '../types.js'
import { buildChain } from './profile/buildChain.js'
import { badProfile, planProfile } from './profile/planProfile.js'
import { loadProfiles, readMfaSerialSync, type ProfileFiles } from './profile/profileFiles.js'

/**
 * Options of {@link fromProfile}.
 *
 * @category sources
 * @since 0.2.0
 */
export type FromProfileOptions = {
  /** The shared credentials file. @default `AWS_SHARED_CREDENTIALS_FILE`, then `~/.aws/credentials` */
  readonly filepath?: string | undefined
  /** The shared config file. @default `AWS_CONFIG_FILE`, then `~/.aws/config` */
  readonly configFilepath?: string | undefined
  /** Config of every hop's private `STSClient` (endpoint, requestHandler, ...). @default {} */
  readonly clientConfig?: STSClientConfig
  /** The SDK's `Logger`, for every hop (see the STS sources' `logger`). @default none */
  readonly logger?: Logger
  /** The deadline of each STS request of the chain. @default 10000 */
  readonly timeoutMs?: number
}

const SOURCE = 'fromProfile'

const validate = (profile: unknown, options: unknown): void => {
  if (profile !== undefined && (typeof profile !== 'string' || profile.trim() === ''))
    throw invalid(SOURCE, 'profile must be a non-empty profile name, e.g. "dev"')
  requireObject(SOURCE, 'options', options)
  const o = options as Record<string, unknown>
  for (const key of ['filepath', 'configFilepath'] as const)
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === ''))
      throw invalid(SOURCE, `options.${key} must be a file path`)
  if (o['clientConfig'] !== undefined) requireObject(SOURCE, 'options.clientConfig', o['clientConfig'])
  checkLogger(SOURCE, o['logger'])
  const t = o['timeoutMs']
  if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t > 0 && t <= MAX_TIMER_MS))
    throw invalid(SOURCE, 'options.timeoutMs must be a positive number of milliseconds up to 2^31-1')
}

/**
 * A profile of the shared config and credentials files as a source, with this library's
 * refresh, MFA-once and validation: static keys; `role_arn` with `source_profile` (each
 * profile of the chain one `fromAssumeRole`, whose base is the one before) or
 * `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`: the SDK's
 * providers); `role_arn` with `web_identity_token_file` (`fromWebIdentity`); `external_id`,
 * `role_session_name`, `duration_seconds`; the profile's `region` for every hop's STS
 * client. SSO and `credential_process` profiles (also as a `source_profile`) are delegated
 * to the SDK's `fromSSO` / `fromProcess` (`@aws-sdk/credential-providers`, loaded lazily).
 *
 * With `mfa_serial` on the profile, the last hop's AssumeRole needs an MFA code: put
 * `withMfa` after it (its `mfaSerialNumber` is the profile's serial). The `mfa_serial` of a
 * `source_profile` is not used.
 *
 * Un-cached: every call runs the chain (one AssumeRole per hop); put `withRefresh` after
 * it. I/O: the profile name, the options and their types are checked at construction; the
 * files are read and the chain resolved at the first call (and then kept), except
 * `mfa_serial`, which is read synchronously when `mfaSerialNumber` is first read (`withMfa`
 * does so when applied). A failed resolution is not kept: fix the file and call again.
 *
 * @param profile @default `AWS_PROFILE`, then `default`
 * @throws CredentialError `InvalidConfiguration` at construction for bad arguments; at the
 * first call, naming the profile, for a missing, cyclic or inconsistent profile (e.g.
 * `role_arn` without `source_profile`, a bad `duration_seconds`, an unknown
 * `credential_source`) and when SSO, `credential_process` or `credential_source` need
 * `@aws-sdk/credential-providers` and it is not installed; then the codes of
 * `fromAssumeRole` (`MfaRequired`, `StsRejected`, ...). Never echoes a key.
 * @example
 * ```ts
 * // ~/.aws/config: [profile admin] role_arn = ..., source_profile = me, mfa_serial = ...
 * const credentials = pipe(fromProfile('admin'), withMfa(promptForCode()), withRefresh())
 * const s3 = new S3Client({ credentials })
 * ```
 * @category sources
 * @since 0.2.0
 */
export const fromProfile = (
  profile?: string,
  options: FromProfileOptions = {},
): MfaCapableSource & { readonly close: () => void } => {
  validate(profile, options)
  const name = profile ?? (process.env['AWS_PROFILE'] || 'default')
  const files: ProfileFiles = { filepath: options.filepath, configFilepath: options.configFilepath }
  let serial: { readonly value: string | undefined } | undefined
  const mfaSerial = (): string | undefined => (serial ??= { value: readMfaSerialSync(name, files) }).value
  let built: Promise<ReturnType<typeof buildChain>> | undefined
  const build = async (): Promise<ReturnType<typeof buildChain>> => {
    const plan = planProfile(await loadProfiles(files), name)
    if (serial !== undefined && serial.value !== plan.mfaSerial)
      throw badProfile(name, 'changed its mfa_serial since withMfa was applied; build the source again')
    logTo(
      options.logger,
      'debug',
      `${SOURCE}: profile "${name}": ${plan.hops.length} role(s) to assume from a ${plan.base.kind} base`,
    )
    return buildChain(plan, {
      files,
      clientConfig: options.clientConfig,
      logger: options.logger,
      timeoutMs: options.timeoutMs,
    })
  }
  const source = named(SOURCE, async (context?: SourceContext) => {
    built ??= build().catch((e: unknown) => {
      built = undefined
      throw e
    })
    return (await built).source(context)
  })
  Object.defineProperty(source, 'mfaSerialNumber', { get: mfaSerial, enumerable: true })
  return Object.assign(source, {
    close: () => {
      const current = built
      built = undefined
      void current?.then(
        (b) => b.close(),
        () => undefined,
      )
    },
  }) as MfaCapableSource & { readonly close: () => void }
}
