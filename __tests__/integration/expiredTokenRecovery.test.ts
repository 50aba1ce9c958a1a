import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { HttpRequest } from '@smithy/types'
import { Readable } from 'node:stream'
import { pipe } from 'fp-ts/function'
import { expiredTokenRecovery } from '../../lib'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import type { RefreshingProvider } from '../../lib/types'
import { fakeSource } from '../support/fakeSource'
import { clientConfigFor } from '../support/stsFixture'

describe('expiredTokenRecovery (real SDK clients)', () => {
  let sts: StsEmulator
  const closers: (() => void)[] = []
  beforeEach(async () => {
    sts = await startStsEmulator()
  })
  afterEach(async () => {
    for (const c of closers.splice(0)) c()
    await sts.close()
  })

  const setup = (cacheMiddleware: boolean): { provider: RefreshingProvider; client: STSClient } => {
    const provider = pipe(
      fromAssumeRole(
        { RoleArn: sts.roleArns[0]! },
        { source: async () => sts.baseCredentials, clientConfig: clientConfigFor(sts) },
      ),
      withRefresh(),
    )
    const client = new STSClient({ ...clientConfigFor(sts), credentials: provider, cacheMiddleware })
    client.middlewareStack.use(expiredTokenRecovery(provider))
    closers.push(
      () => client.destroy(),
      () => provider.close(),
    )
    return { provider, client }
  }
  const count = (action: string, errorCode?: string): number =>
    sts.requests.filter((r) => r.action === action && (errorCode === undefined || r.errorCode === errorCode)).length

  it.each([true, false])(
    'with cacheMiddleware %s, a burst of 20 ExpiredToken answers refreshes once and retries each request once',
    async (cacheMiddleware) => {
      const { provider, client } = setup(cacheMiddleware)
      await client.send(new GetCallerIdentityCommand({}))
      const expired = provider.current()!.accessKeyId
      sts.inject({ type: 'expiredToken', accessKeyId: expired, count: Infinity })
      const outs = await Promise.all(Array.from({ length: 20 }, () => client.send(new GetCallerIdentityCommand({}))))
      expect(outs.every((o) => o.Arn?.includes(':assumed-role/'))).toBe(true)
      expect(count('AssumeRole')).toBe(2)
      expect(count('GetCallerIdentity', 'ExpiredToken')).toBe(20)
      expect(count('GetCallerIdentity')).toBe(1 + 20 + 20)
      expect(provider.current()!.accessKeyId).not.toBe(expired)
    },
  )

  it('recognises S3 TokenRefreshRequired through a plain S3Client with cacheMiddleware', async () => {
    const source = fakeSource(3_600_000)
    const provider = withRefresh()(source)
    const signedWith: string[] = []
    const requestHandler = {
      handle: async (request: HttpRequest) => {
        const key = /Credential=([^/]+)\//.exec(String(request.headers['authorization']))![1]!
        signedWith.push(key)
        const first = signedWith.length === 1
        const body = first
          ? '<?xml version="1.0" encoding="UTF-8"?><Error><Code>TokenRefreshRequired</Code><Message>The provided token must be refreshed.</Message></Error>'
          : '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>'
        return {
          response: {
            statusCode: first ? 400 : 200,
            headers: { 'content-type': 'application/xml' },
            body: Readable.from([Buffer.from(body)]),
          },
        }
      },
    }
    const s3 = new S3Client({
      region: 'us-east-1',
      credentials: provider,
      requestHandler,
      cacheMiddleware: true,
      maxAttempts: 1,
    })
    s3.middlewareStack.use(expiredTokenRecovery(provider))
    closers.push(
      () => s3.destroy(),
      () => provider.close(),
    )
    await expect(s3.send(new ListBucketsCommand({}))).resolves.toMatchObject({ Buckets: [] })
    expect(source.calls).toBe(2)
    expect(signedWith).toHaveLength(2)
    expect(signedWith[0]).not.toBe(signedWith[1])
  })
})
