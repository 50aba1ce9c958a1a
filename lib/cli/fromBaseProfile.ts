import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { CredentialError, isCredentialError } from '../errors.js'
import { fromProfile } from '../sources/fromProfile.js'

const SOURCE = 'aws-refresh-session'

/**
 * The base credentials of `--base-profile NAME`: `fromProfile` for that profile of the
 * shared config and credentials files (static keys, role chains, SSO, processes), with
 * `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` taken from `env`. The files are read
 * at the first call.
 * @throws CredentialError `InvalidConfiguration` naming the profile when it is missing or
 * inconsistent; `SourceFailed` when an SDK provider it delegates to gives no credentials.
 */
export const fromBaseProfile = (profile: string, env: NodeJS.ProcessEnv): AwsCredentialIdentityProvider => {
  const source = fromProfile(profile, {
    filepath: env['AWS_SHARED_CREDENTIALS_FILE'] || undefined,
    configFilepath: env['AWS_CONFIG_FILE'] || undefined,
  })
  return async (context) => {
    try {
      return await source(context)
    } catch (e) {
      if (isCredentialError(e)) throw e
      throw new CredentialError(
        `the base profile ${profile} gave no credentials; check it with 'aws sts get-caller-identity --profile ${profile}'`,
        { code: 'SourceFailed', source: SOURCE, cause: e },
      )
    }
  }
}
