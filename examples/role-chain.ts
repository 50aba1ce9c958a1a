/**
 * Role chaining: a second role assumed with the first role's refreshing credentials.
 * Against the local STS emulator. Run: npx tsx examples/role-chain.ts
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromAssumeRole, pipe, withRefresh } from '../lib/index.js'
import { startStsEmulator } from '../lib/testing/index.js'

const JUMP = 'arn:aws:iam::123456789012:role/jump'
const TARGET = 'arn:aws:iam::123456789012:role/target'

const main = async (): Promise<void> => {
  // The target role trusts only sessions of the jump role.
  const sts = await startStsEmulator({ roles: [{ arn: JUMP }, { arn: TARGET, principals: [JUMP] }] })
  const clientConfig = { endpoint: sts.endpoint, region: sts.region }

  const jump = pipe(
    fromAssumeRole({ RoleArn: JUMP }, { source: async () => sts.baseCredentials, clientConfig }),
    withRefresh(),
  )
  // AWS caps chained sessions at one hour.
  const target = pipe(
    fromAssumeRole({ RoleArn: TARGET, DurationSeconds: 3600 }, { source: jump, clientConfig }),
    withRefresh(),
  )

  const client = new STSClient({ ...clientConfig, credentials: target })
  const me = await client.send(new GetCallerIdentityCommand({}))
  console.log(`signed in as ${me.Arn}`)
  for (const r of sts.requests) console.log(`  ${r.action} signed by …${r.accessKeyId?.slice(-4)}`)
  console.log(
    `  (jump role key …${jump.current()!.accessKeyId.slice(-4)}, target key …${target.current()!.accessKeyId.slice(-4)})`,
  )

  client.destroy()
  target.close()
  jump.close()
  await sts.close()
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
