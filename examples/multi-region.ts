// One refreshing provider, one client per region. The factory hands out the same client
// for the same region (whatever the key order or the literal object), every client signs
// with the shared credentials, and a burst over all regions costs one STS call.
//
//   npx tsx examples/multi-region.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromAssumeRole, pipe, withClientCache, withRefresh } from '../lib/index.js'
import { startStsEmulator } from '../lib/testing/index.js'

const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2']

/** The region a request was signed for, from its SigV4 credential scope. */
const signedRegion = (authorization: unknown): string | undefined =>
  typeof authorization === 'string' ? /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization)?.[1] : undefined

const main = async (): Promise<void> => {
  const sts = await startStsEmulator()
  const clients = pipe(
    fromAssumeRole(
      { RoleArn: sts.roleArns[0]! },
      { source: async () => sts.baseCredentials, clientConfig: { endpoint: sts.endpoint, region: sts.region } },
    ),
    withRefresh(),
    withClientCache({ defaults: { endpoint: sts.endpoint, maxAttempts: 2 } }),
  )
  try {
    // 4 regions x 25 concurrent calls, each asking the factory for its client.
    const calls = REGIONS.flatMap((region) =>
      Array.from({ length: 25 }, () => clients.client(STSClient, { region }).send(new GetCallerIdentityCommand({}))),
    )
    const answers = await Promise.all(calls)
    console.log(`${answers.length} calls as ${answers[0]?.Arn}`)

    for (const region of REGIONS) {
      const seen = sts.requests.filter(
        (r) => r.action === 'GetCallerIdentity' && signedRegion(r.headers['authorization']) === region,
      ).length
      console.log(`  ${region.padEnd(15)} ${seen} requests signed for it`)
    }
    const same =
      clients.client(STSClient, { maxAttempts: 2, region: 'eu-west-1' }) ===
      clients.client(STSClient, { region: 'eu-west-1' })
    const assumeRoles = sts.requests.filter((r) => r.action === 'AssumeRole').length
    console.log(
      `clients: ${clients.size}, same eu-west-1 client for an equal config: ${same}, AssumeRole calls: ${assumeRoles}`,
    )
    if (clients.size !== REGIONS.length || !same || assumeRoles !== 1)
      throw new Error('expected one client per region and one STS call')
  } finally {
    clients.close()
    await sts.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
