// STS calls per refresh for N clients (one per region, M concurrent commands each): N
// factory clients sharing one provider, against N SDK clients each built the usual way with
// its own fromTemporaryCredentials. Two refreshes: the cold start and the one at expiry.
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { lib, testing } from './dist'
import { type Figure, heading, info, sleep, smoke } from './harness'
import { inProcessS3 } from './s3'

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-northeast-1',
  'ap-southeast-2',
  'sa-east-1',
]
// Due for the SDK 6 s after issue (its 5-minute window): fresh through a burst, due soon after.
const LIFETIME_S = 306

export const stsPerRefresh = async (): Promise<Figure[]> => {
  const perClient = smoke ? 5 : 20
  heading(
    `STS calls per refresh: ${REGIONS.length} clients x ${perClient} concurrent commands, cold and at expiry (STS emulator)`,
  )
  const { startStsEmulator } = testing()
  const [stsOurs, stsSdk] = await Promise.all([
    startStsEmulator({ credentialLifetimeSeconds: LIFETIME_S }),
    startStsEmulator({ credentialLifetimeSeconds: LIFETIME_S }),
  ])
  // STS over real HTTP for both (left out, the SDK's provider would borrow the S3 clients' in-process handler).
  const stsHttp = new NodeHttpHandler()
  // The injected clock jumps past the expiry until the refresh starts (then it is the real clock again).
  let shift = 0
  const assumeRole = lib.fromAssumeRole(
    { RoleArn: stsOurs.roleArns[0] ?? '' },
    {
      source: async () => stsOurs.baseCredentials,
      clientConfig: { endpoint: stsOurs.endpoint, region: stsOurs.region, requestHandler: stsHttp },
    },
  )
  const provider = lib.withRefresh({ now: () => Date.now() + shift })(async () => {
    shift = 0
    return assumeRole()
  })
  const requestHandler = inProcessS3()
  const factory = lib.withClientCache({ defaults: { requestHandler } })(provider)
  const stsConfig = { endpoint: stsSdk.endpoint, region: stsSdk.region, requestHandler: stsHttp }
  const sdkClients = REGIONS.map(
    (region) =>
      new S3Client({
        region,
        requestHandler,
        credentials: fromTemporaryCredentials({
          params: { RoleArn: stsSdk.roleArns[0] ?? '' },
          masterCredentials: stsSdk.baseCredentials,
          clientConfig: stsConfig,
        }),
      }),
  )
  const burst = (client: (i: number) => S3Client): Promise<unknown> =>
    Promise.all(
      REGIONS.flatMap((_, i) =>
        Array.from({ length: perClient }, () => client(i).send(new HeadObjectCommand({ Bucket: 'bench', Key: 'k' }))),
      ),
    )
  const assumeRoles = (sts: typeof stsOurs): number => sts.requests.filter((r) => r.action === 'AssumeRole').length
  try {
    await Promise.all([
      burst((i) => factory.client(S3Client, { region: REGIONS[i] ?? '' })),
      burst((i) => sdkClients[i] as S3Client),
    ])
    const cold = [assumeRoles(stsOurs), assumeRoles(stsSdk)]
    await sleep(6_100) // the SDK's credentials are now in their last 5 minutes
    shift = LIFETIME_S * 1_000 // and ours past their expiry, on the injected clock
    await Promise.all([
      burst((i) => factory.client(S3Client, { region: REGIONS[i] ?? '' })),
      burst((i) => sdkClients[i] as S3Client),
    ])
    const total = [assumeRoles(stsOurs), assumeRoles(stsSdk)] as [number, number]
    info('AssumeRole calls cold: factory / SDK clients', `${cold[0]} / ${cold[1]}`)
    info(
      'AssumeRole calls at expiry: factory / SDK clients',
      `${total[0] - (cold[0] ?? 0)} / ${total[1] - (cold[1] ?? 0)}`,
    )
    const [o, s] = [total[0] / 2, total[1] / 2]
    return [
      {
        label: `AssumeRole per refresh: ${REGIONS.length} factory clients vs ${REGIONS.length} SDK clients`,
        value: String(o),
        anchor: String(s),
        ratio: o / s,
        target: '1 per refresh',
        ok: o === 1 && total[0] === 2,
      },
      {
        label: 'clients in the factory',
        value: String(factory.size),
        target: String(REGIONS.length),
        ok: factory.size === REGIONS.length,
      },
    ]
  } finally {
    factory.close()
    for (const c of sdkClients) c.destroy()
    stsHttp.destroy()
    await Promise.all([stsOurs.close(), stsSdk.close()])
  }
}
