// Benchmarks of the client factory: what a cache hit costs next to building an SDK
// client, and how many STS calls many clients sharing one provider make.
import { S3Client } from '@aws-sdk/client-s3'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { withClientCache } from '../lib/clients/withClientCache'
import { withRefresh } from '../lib/refresh/withRefresh'
import { fromAssumeRole } from '../lib/sources/fromAssumeRole'
import { startStsEmulator } from '../lib/testing/startStsEmulator'
import type { AwsCredentialIdentity } from '../lib/types'
import { compare, heading, line, smoke } from './harness'

const HOUR = 3_600_000
const creds = (): AwsCredentialIdentity => ({ accessKeyId: 'ASIABENCH', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + HOUR) })

/** Cache hit with a realistic 3-key config vs `new S3Client(...)` with the same config, side by side. */
export const clientCacheHit = async (): Promise<boolean> => {
  heading('Client factory: cache hit vs new S3Client, config { region, maxAttempts, requestHandler }')
  const provider = withRefresh()(async () => creds())
  const clients = withClientCache({ region: 'eu-west-1' })(provider)
  const requestHandler = new NodeHttpHandler({ connectionTimeout: 1_000 })
  // A few other regions cached too, so the hit is not the only entry.
  for (const region of ['us-east-1', 'us-west-2', 'eu-central-1']) clients.client(S3Client, { region, maxAttempts: 3, requestHandler })
  const hitsPerRun = 1_000
  const t = await compare(
    [
      {
        name: 'hit',
        run: async () => {
          for (let i = 0; i < hitsPerRun; i++) clients.client(S3Client, { region: 'eu-west-1', maxAttempts: 3, requestHandler })
        },
      },
      // Not destroyed: destroy() would also close the shared request handler.
      { name: 'new', run: async () => new S3Client({ region: 'eu-west-1', maxAttempts: 3, requestHandler, credentials: provider }) },
    ],
    smoke ? 20 : 1_000,
  )
  const size = clients.size
  clients.close()
  requestHandler.destroy()
  const hit = (t.get('hit') ?? Number.NaN) / hitsPerRun
  const created = t.get('new') ?? Number.NaN
  const ratio = created / hit
  line('clients.client(S3Client, config), cache hit', `${hit.toFixed(1)} ns`, '< 1 µs', hit < 1_000)
  line('new S3Client(config)', `${(created / 1_000).toFixed(1)} µs`)
  line('new S3Client / cache hit', `${ratio.toFixed(0)}x`, '>= 300x', ratio >= 300)
  line('clients cached', String(size), '4', size === 4)
  return hit < 1_000 && ratio >= 300 && size === 4
}

/**
 * N clients (one per region) x M concurrent commands against the STS emulator, all on one
 * provider, over three refreshes: cold, after `invalidate()`, and after STS rejects the
 * current key as expired (the factory's recovery). Target: exactly one AssumeRole each.
 */
export const sharedProvider = async (): Promise<boolean> => {
  const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-2', 'sa-east-1']
  const perClient = smoke ? 5 : 20
  heading(`Client factory: ${regions.length} clients x ${perClient} concurrent commands on one provider, against the STS emulator`)
  const sts = await startStsEmulator()
  const provider = withRefresh()(fromAssumeRole({ RoleArn: sts.roleArns[0] ?? '' }, { source: async () => sts.baseCredentials, clientConfig: { endpoint: sts.endpoint, region: sts.region } }))
  const clients = withClientCache({ defaults: { endpoint: sts.endpoint, maxAttempts: 1 } })(provider)
  const burst = (): Promise<unknown> =>
    Promise.all(regions.flatMap((region) => Array.from({ length: perClient }, () => clients.client(STSClient, { region }).send(new GetCallerIdentityCommand({})))))
  const assumeRoles = (): number => sts.requests.filter((r) => r.action === 'AssumeRole').length
  const rounds: [string, () => void][] = [
    ['cold provider', () => undefined],
    ['after invalidate()', () => provider.invalidate()],
    ['after ExpiredToken for the current key', () => sts.inject({ type: 'expiredToken', accessKeyId: provider.current()?.accessKeyId ?? '', count: Infinity })],
  ]
  let ok = true
  try {
    for (const [name, prepare] of rounds) {
      const before = assumeRoles()
      prepare()
      const start = performance.now()
      await burst()
      const calls = assumeRoles() - before
      ok &&= calls === 1
      line(`${name}: AssumeRole calls for ${regions.length * perClient} commands`, `${calls} (${(performance.now() - start).toFixed(0)} ms)`, '1', calls === 1)
    }
    ok &&= clients.size === regions.length
    line('clients cached', String(clients.size), String(regions.length), clients.size === regions.length)
  } finally {
    clients.close()
    await sts.close()
  }
  return ok
}
