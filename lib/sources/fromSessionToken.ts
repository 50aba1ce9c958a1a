import type { GetSessionTokenCommandInput } from '@aws-sdk/client-sts'
import type { StsSourceOptions } from './sts/stsClient.js'
import { stsSource } from './sts/stsSource.js'
import { SESSION_TOKEN_DURATION, STS_CHECKS, stsSetup } from './sts/stsValidate.js'
import type { MfaCapableSource } from '../types.js'

/**
 * The parameters of {@link fromSessionToken}: STS `GetSessionTokenCommandInput` without
 * the one-time `TokenCode` (it comes from `withMfa`).
 *
 * @category sources
 * @since 0.1.0
 */
export type FromSessionTokenParams = Omit<GetSessionTokenCommandInput, 'TokenCode'>

/**
 * Options of {@link fromSessionToken}: `source`, `region`, `clientConfig` and `timeoutMs`
 * (default `10000`) of {@link StsSourceOptions}.
 *
 * @category sources
 * @since 0.1.0
 */
export type FromSessionTokenOptions = StsSourceOptions

const SOURCE = 'fromSessionToken'

/**
 * A credential source that calls STS GetSessionToken at every call: MFA-protected API
 * access for an IAM user. Caches nothing but its private `STSClient` (created at the first
 * call, destroyed by `close()`). `DurationSeconds` is 900–129600 (STS default 43200).
 * The base credentials must be an IAM user's long-term keys. Each STS request has a
 * deadline, `options.timeoutMs` (default `10000` ms, SDK retries included): past it the
 * request is aborted and the call fails with `Timeout` (retryable).
 *
 * @throws CredentialError `InvalidConfiguration` at construction (bad parameters, or bad
 * `region`, `source`, `clientConfig`, `timeoutMs`); at call time the codes listed for
 * `fromAssumeRole`.
 * @example
 * ```ts
 * const source = pipe(
 *   fromSessionToken({ SerialNumber: 'arn:aws:iam::123456789012:mfa/me', DurationSeconds: 3600 }),
 *   withMfa(promptForCode()),
 * )
 * ```
 * @category sources
 * @since 0.1.0
 */
export const fromSessionToken = (
  given: FromSessionTokenParams = {},
  givenOptions: FromSessionTokenOptions = {},
): MfaCapableSource & { readonly close: () => void } => {
  const setup = stsSetup(SOURCE, given, givenOptions, { ...STS_CHECKS, DurationSeconds: SESSION_TOKEN_DURATION })
  return stsSource({
    ...setup,
    action: 'GetSessionToken',
    mfa: true,
    input: (_context, mfa): GetSessionTokenCommandInput => ({ ...setup.params, ...mfa }),
  })
}
