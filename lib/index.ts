// The public API: named re-exports only.
export { pipe, flow } from 'fp-ts/lib/function.js'

export type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  CredentialSource,
  MfaCapableSource,
  RefreshingProvider,
  SourceContext,
  Transformed,
} from './types.js'
export { CredentialError, isCredentialError, originalCause } from './errors.js'
export type { CredentialErrorCode, CredentialErrorOptions } from './errors.js'

export { fromCallable } from './sources/fromCallable.js'
export type { CallableCredentials, FromCallableOptions } from './sources/fromCallable.js'

export { fromAssumeRole } from './sources/fromAssumeRole.js'
export type { FromAssumeRoleOptions, FromAssumeRoleParams } from './sources/fromAssumeRole.js'
export { fromSessionToken } from './sources/fromSessionToken.js'
export type { FromSessionTokenOptions, FromSessionTokenParams } from './sources/fromSessionToken.js'
export { fromWebIdentity } from './sources/fromWebIdentity.js'
export type {
  FromWebIdentityBaseParams,
  FromWebIdentityOptions,
  FromWebIdentityParams,
} from './sources/fromWebIdentity.js'
export type { StsSourceOptions } from './sources/sts/stsClient.js'
export { fromProfile } from './sources/fromProfile.js'
export type { FromProfileOptions } from './sources/fromProfile.js'
export { fromIotCertificate } from './sources/fromIotCertificate.js'
export type { FromIotCertificateOptions, IotCommonOptions, IotPkcs11Options } from './sources/fromIotCertificate.js'
export type { MaterialInput } from './sources/x509/readMaterial.js'
export type { Pkcs11Settings, X509KeyOptions } from './sources/x509/keyKind.js'
export { fromRolesAnywhere } from './sources/fromRolesAnywhere.js'
export type { FromRolesAnywhereOptions, RolesAnywhereCommonOptions } from './sources/fromRolesAnywhere.js'

export { withMfa } from './transforms/withMfa.js'
export type { MfaCodeProvider, WithMfaOptions } from './transforms/withMfa.js'
export { totp } from './mfa/totp.js'
export type { TotpOptions } from './mfa/totp.js'
export { promptForCode } from './mfa/promptForCode.js'
export type { PromptForCodeOptions, PromptInput } from './mfa/promptForCode.js'
export { codeFromCommand } from './mfa/codeFromCommand.js'
export type { CodeFromCommandOptions } from './mfa/codeFromCommand.js'

export { withRetry } from './transforms/withRetry.js'
export type { WithRetryOptions } from './transforms/withRetry.js'
export { withTimeout } from './transforms/withTimeout.js'
export { withFileCache } from './transforms/withFileCache.js'
export type { FileCacheEvent, WithFileCacheOptions } from './transforms/withFileCache.js'

export { withRefresh } from './refresh/withRefresh.js'
export type { WithRefreshOptions } from './refresh/withRefresh.js'
export type { RefreshEvent, RefreshReason } from './refresh/RefreshEvent.js'
export { defaultEarlyMs, refreshWindows } from './refresh/windows.js'
export type { RefreshWindows } from './refresh/windows.js'

export { withClientCache } from './clients/withClientCache.js'
export type { WithClientCacheOptions } from './clients/withClientCache.js'
export { expiredTokenRecovery } from './clients/expiredTokenRecovery.js'
export type { CallerIdentity, ClientConfigOf, ClientFactory, SdkClient, SdkClientClass } from './types.js'

export { withRolePool } from './clients/withRolePool.js'
export type { RolePool, RolePoolParams, WithRolePoolOptions } from './clients/withRolePool.js'
