// A factory cache hit (`clients.client(S3Client, config)`) against building the client it
// saves: `new S3Client(config)` with the same config.
import { S3Client } from '@aws-sdk/client-s3'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { AwsCredentialIdentity } from '@smithy/types'
import { lib } from './dist'
import { type Figure, fmtNs, heading, interleave, smoke } from './harness'

const creds = (): AwsCredentialIdentity => ({
  accessKeyId: 'ASIABENCH',
  secretAccessKey: 's',
  expiration: new Date(Date.now() + 3_600_000),
})

export const clientCacheHit = async (): Promise<Figure[]> => {
  heading('Factory cache hit vs new S3Client, config { region, maxAttempts, requestHandler }')
  const provider = lib.withRefresh()(async () => creds())
  const clients = lib.withClientCache({ region: 'eu-west-1' })(provider)
  const requestHandler = new NodeHttpHandler({ connectionTimeout: 1_000 })
  for (const region of ['us-east-1', 'us-west-2', 'eu-central-1'])
    clients.client(S3Client, { region, maxAttempts: 3, requestHandler })
  const t = await interleave(
    [
      {
        name: 'hit',
        fn: () => clients.client(S3Client, { region: 'eu-west-1', maxAttempts: 3, requestHandler }),
        calls: smoke ? 2_000 : 50_000,
      },
      // Not destroyed: destroy() would also close the shared request handler.
      {
        name: 'new',
        fn: () => new S3Client({ region: 'eu-west-1', maxAttempts: 3, requestHandler, credentials: provider }),
      },
    ],
    { calls: smoke ? 100 : 300, rounds: smoke ? 3 : 11 },
  )
  const size = clients.size
  clients.close()
  requestHandler.destroy()
  const [hit, made] = [t.get('hit') ?? Number.NaN, t.get('new') ?? Number.NaN]
  return [
    {
      label: 'clients.client(S3Client, config) hit vs new S3Client(config)',
      value: fmtNs(hit),
      anchor: fmtNs(made),
      ratio: hit / made,
      target: '<= 1/300x',
      ok: hit / made <= 1 / 300,
    },
    { label: 'clients cached (3 + the hit)', value: String(size), target: '4', ok: size === 4 },
  ]
}
