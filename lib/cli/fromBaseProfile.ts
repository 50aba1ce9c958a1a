import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { CredentialError, isCredentialError } from '../errors.js'

const SOURCE = 'aws-refresh-session'

/**
 * The base credentials of `--base-profile NAME`: the SDK's `fromIni` for that profile of
 * the shared config and credentials files (static keys, SSO, role chains, processes), with
 * `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` taken from `env`.
 * `@aws-sdk/credential-providers` is loaded at the first call only.
 * @throws CredentialError `InvalidConfiguration` at the first call when that package is not installed.
 */
export const fromBaseProfile = (profile: string, env: NodeJS.ProcessEnv): AwsCredentialIdentityProvider => {
  let loaded: Promise<AwsCredentialIdentityProvider> | undefined
  const load = async (): Promise<AwsCredentialIdentityProvider> => {
    try {
      const { fromIni } = await import('@aws-sdk/credential-providers')
      return fromIni({ profile, filepath: env['AWS_SHARED_CREDENTIALS_FILE'], configFilepath: env['AWS_CONFIG_FILE'] })
    } catch (e) {
      throw new CredentialError(`--base-profile needs the package @aws-sdk/credential-providers; install it next to ${SOURCE}`, { code: 'InvalidConfiguration', source: SOURCE, cause: e })
    }
  }
  return async (context) => {
    loaded ??= load()
    try {
      return await (await loaded)(context)
    } catch (e) {
      if (isCredentialError(e)) throw e
      throw new CredentialError(`the base profile ${profile} gave no credentials; check it with 'aws sts get-caller-identity --profile ${profile}'`, { code: 'SourceFailed', source: SOURCE, cause: e })
    }
  }
}
