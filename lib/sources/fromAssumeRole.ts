import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts'
import { defaultSessionName } from './sts/stsCall.js'
import type { StsSourceOptions } from './sts/stsClient.js'
import { stsSource } from './sts/stsSource.js'
import { STS_CHECKS, stsSetup } from './sts/stsValidate.js'
import type { MfaCapableSource } from '../types.js'

/**
 * The parameters of {@link fromAssumeRole}: STS `AssumeRoleCommandInput` with
 * `RoleSessionName` optional. `TokenCode` is one-time, so it comes from `withMfa`, never
 * from here.
 *
 * @category sources
 * @since 0.1.0
 */
export type FromAssumeRoleParams = Omit<AssumeRoleCommandInput, 'RoleSessionName' | 'TokenCode'> & {
  /** @default `aws-refresh-session-<epoch ms>`, new at each call */
  readonly RoleSessionName?: string
}

/**
 * Options of {@link fromAssumeRole}: `source`, `region`, `clientConfig`, `timeoutMs`
 * (default `10000`) and `logger` of {@link StsSourceOptions}.
 *
 * @category sources
 * @since 0.1.0
 */
export type FromAssumeRoleOptions = StsSourceOptions

const SOURCE = 'fromAssumeRole'

/**
 * A credential source that calls STS AssumeRole at every call (it caches nothing but its
 * private `STSClient`, created at the first call and destroyed by `close()`).
 * Every parameter is passed through; they are validated against STS's constraints here,
 * before any request. With `SerialNumber` set, each call needs an MFA code from
 * `withMfa` (`context.mfa`). `@aws-sdk/client-sts` is loaded at the first call.
 *
 * Role chaining: give another provider (for example a `withRefresh` provider of the first
 * role) as `options.source`; AWS caps chained sessions at one hour.
 *
 * Each STS request has a deadline, `options.timeoutMs` (default `10000` ms, SDK retries
 * included): past it the request is aborted and the call fails with `Timeout` (retryable).
 *
 * @throws CredentialError `InvalidConfiguration` at construction for bad parameters or
 * options (`params` not an object, `region`, `source`, `clientConfig`, `timeoutMs`);
 * at call time `MfaRequired`, `MfaCodeInvalid`, `StsRejected` (with `statusCode`),
 * `Throttled`, `ServiceUnavailable`, `NetworkError`, `Timeout` (these four `retryable`),
 * `Aborted`, `Expired`, `SourceFailed` (retryable when STS's 200 answer could not be read,
 * e.g. cut off by a proxy; not when the base credentials could not be had); the original
 * error is the `cause`.
 * @example
 * ```ts
 * const source = fromAssumeRole({ RoleArn: 'arn:aws:iam::123456789012:role/app', DurationSeconds: 3600 })
 * const credentials = await source()
 * ```
 * @category sources
 * @since 0.1.0
 */
export const fromAssumeRole = (
  given: FromAssumeRoleParams,
  givenOptions: FromAssumeRoleOptions = {},
): MfaCapableSource & { readonly close: () => void } => {
  const setup = stsSetup(SOURCE, given, givenOptions, STS_CHECKS, 'RoleArn')
  const { params } = setup
  return stsSource({
    ...setup,
    action: 'AssumeRole',
    mfa: true,
    input: (_context, mfa): AssumeRoleCommandInput => ({
      ...params,
      RoleSessionName: params.RoleSessionName ?? defaultSessionName(),
      ...mfa,
    }),
  })
}
