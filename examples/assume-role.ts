/**
 * AssumeRole with a self-refreshing provider, against the local STS emulator.
 * Run: npx tsx examples/assume-role.ts
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromAssumeRole, pipe, withRefresh } from '../lib/index.js'
import { startStsEmulator } from '../lib/testing/index.js'

const main = async (): Promise<void> => {
  const sts = await startStsEmulator()
  const endpoint = { endpoint: sts.endpoint, region: sts.region }

  // In production: fromAssumeRole({ RoleArn }) alone, with the SDK's default chain as base.
  const credentials = pipe(
    fromAssumeRole(
      { RoleArn: sts.roleArns[0]!, DurationSeconds: 900 },
      { source: async () => sts.baseCredentials, clientConfig: endpoint },
    ),
    withRefresh(5 * 60_000),
  )

  const client = new STSClient({ ...endpoint, credentials })
  const me = await client.send(new GetCallerIdentityCommand({}))
  const current = credentials.current()!
  console.log(`signed in as ${me.Arn}`)
  console.log(
    `account ${current.accountId}, key …${current.accessKeyId.slice(-4)}, expires ${current.expiration?.toISOString()}`,
  )

  client.destroy()
  credentials.close()
  await sts.close()
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
