// Per-request CPU of a factory client against a plain, reused `new S3Client({ credentials })`:
// HeadObject answered in-process (no network), process CPU time (user + system) per request,
// median of interleaved rounds. The factory client is fetched from the factory on every
// request, as factory users do; it has `cacheMiddleware: true` and the expired-token recovery.
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'
import type { AwsCredentialIdentity } from '@smithy/types'
import { lib } from './dist'
import { type Figure, fmtNs, heading, info, interleave, smoke } from './harness'
import { inProcessS3 } from './s3'

const creds = (): AwsCredentialIdentity => ({
  accessKeyId: 'ASIABENCH',
  secretAccessKey: 's',
  sessionToken: 't',
  expiration: new Date(Date.now() + 3_600_000),
})

export const perRequest = async (): Promise<Figure[]> => {
  heading(
    'Per-request CPU: factory client (cacheMiddleware: true) vs a plain reused S3Client, HeadObject answered in-process',
  )
  const provider = lib.withRefresh()(async () => creds())
  const requestHandler = inProcessS3()
  const clients = lib.withClientCache({ region: 'us-east-1', defaults: { cacheMiddleware: true, requestHandler } })(
    provider,
  )
  const plain = new S3Client({ region: 'us-east-1', credentials: provider, requestHandler })
  const plainCached = new S3Client({
    region: 'us-east-1',
    credentials: provider,
    requestHandler,
    cacheMiddleware: true,
  })
  const input = { Bucket: 'bench', Key: 'k' }
  const t = await interleave(
    [
      { name: 'factory', fn: () => clients.client(S3Client).send(new HeadObjectCommand(input)) },
      { name: 'plain', fn: () => plain.send(new HeadObjectCommand(input)) },
      { name: 'plainCached', fn: () => plainCached.send(new HeadObjectCommand(input)) },
    ],
    { calls: smoke ? 30 : 200, rounds: smoke ? 3 : 25, clock: 'cpu' },
  )
  clients.close()
  plain.destroy()
  plainCached.destroy()
  const [f, p, pc] = ['factory', 'plain', 'plainCached'].map((k) => t.get(k) ?? Number.NaN) as [number, number, number]
  info('plain S3Client with cacheMiddleware: true (the SDK alone)', fmtNs(pc))
  return [
    {
      label: 'CPU per request: factory client vs plain reused new S3Client({ credentials })',
      value: fmtNs(f),
      anchor: fmtNs(p),
      ratio: f / p,
      target: '<= 0.85x',
      ok: f / p <= 0.85,
    },
    {
      label: 'CPU per request: factory client vs plain S3Client with cacheMiddleware: true',
      value: fmtNs(f),
      anchor: fmtNs(pc),
      ratio: f / pc,
      target: '<= 1.05x',
      ok: f / pc <= 1.05,
    },
  ]
}
