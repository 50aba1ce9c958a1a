import { fromEnv, fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import type {
  AwsCredentialIdentityProvider as SdkProvider,
  RuntimeConfigAwsCredentialIdentityProvider,
} from '@aws-sdk/types'
import { pipe } from 'fp-ts/function'
import { fromCallable } from '../lib/sources/fromCallable'
import { withRefresh } from '../lib/refresh/withRefresh'
import { withRetry } from '../lib/transforms/withRetry'
import { withTimeout } from '../lib/transforms/withTimeout'
import type { CredentialSource, RefreshingProvider } from '../lib/types'
import { fromAssumeRole } from '../lib/sources/fromAssumeRole'
import { fromSessionToken } from '../lib/sources/fromSessionToken'
import { fromWebIdentity } from '../lib/sources/fromWebIdentity'
import { fromIotCertificate } from '../lib/sources/fromIotCertificate'
import { fromRolesAnywhere } from '../lib/sources/fromRolesAnywhere'
import { fromProfile } from '../lib/sources/fromProfile'
import { withMfa } from '../lib/transforms/withMfa'

// These checks run in the type-checker (npm test runs tsc over __tests__);
// the expect-error line below proves the checks can fail.
const source: CredentialSource = fromCallable(() => ({ accessKeyId: 'a', secretAccessKey: 'b' }))
const provider: RefreshingProvider = pipe(source, withTimeout(1_000), withRetry(), withRefresh())
const asSmithy: AwsCredentialIdentityProvider = source
const providerAsSmithy: AwsCredentialIdentityProvider = provider
const asSdk: SdkProvider = provider
const asRuntime: RuntimeConfigAwsCredentialIdentityProvider = provider
// Every source of the library, bare and wrapped, is an SDK credential provider.
type Sdk = AwsCredentialIdentityProvider
export const everySource: readonly Sdk[] = [
  fromAssumeRole({ RoleArn: 'arn:aws:iam::123456789012:role/r' }),
  fromSessionToken(),
  fromWebIdentity({ RoleArn: 'arn:aws:iam::123456789012:role/r', WebIdentityToken: 'token' }),
  fromProfile('p', { filepath: '/nonexistent', configFilepath: '/nonexistent' }),
  pipe(
    fromAssumeRole({ RoleArn: 'arn:aws:iam::123456789012:role/r', SerialNumber: 'arn:aws:iam::123456789012:mfa/me' }),
    withMfa(() => '123456'),
    withRetry(),
    withRefresh(),
  ),
]
// fromIotCertificate checks its key at construction, so it is checked by type alone.
export const iotIsSdk: ReturnType<typeof fromIotCertificate> extends Sdk ? true : never = true
export const rolesAnywhereIsSdk: ReturnType<typeof fromRolesAnywhere> extends Sdk ? true : never = true
// @ts-expect-error -- a RefreshingProvider needs memoized, current, invalidate and close
const notAProvider: RefreshingProvider = source

describe('types', () => {
  it('every source and provider is a valid `credentials` for an SDK client', async () => {
    const client = new STSClient({ region: 'us-east-1', credentials: provider })
    await expect(client.config.credentials()).resolves.toMatchObject({ accessKeyId: 'a' })
    client.destroy()
    expect([asSmithy, providerAsSmithy, asSdk, asRuntime, notAProvider]).toHaveLength(5)
  })

  it('SDK providers (fromEnv, fromIni, fromNodeProviderChain) are accepted as the self of every transform', async () => {
    const env: RefreshingProvider = pipe(fromEnv(), withRetry(), withTimeout(1_000), withRefresh())
    const ini: RefreshingProvider = pipe(
      fromIni({ profile: 'nope', filepath: '/nonexistent', configFilepath: '/nonexistent' }),
      withRefresh(),
    )
    const chain: RefreshingProvider = pipe(fromNodeProviderChain(), withRefresh())
    const saved = { ...process.env }
    process.env.AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENT'
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret'
    try {
      await expect(env()).resolves.toMatchObject({ accessKeyId: 'AKIAENVIRONMENT' })
      await expect(ini()).rejects.toMatchObject({ name: 'CredentialError', code: 'SourceFailed' })
    } finally {
      process.env = saved
      ;[env, ini, chain].forEach((p) => p.close())
    }
  })
})
