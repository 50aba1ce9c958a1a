/**
 * GetSessionToken with MFA: an IAM user's long-term keys turned into MFA-authenticated
 * session credentials. Against the local STS emulator. Run: npx tsx examples/session-token.ts
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromSessionToken, pipe, totp, withMfa, withRefresh } from '../lib/index.js'
import { startStsEmulator } from '../lib/testing/index.js'

const main = async (): Promise<void> => {
  const sts = await startStsEmulator()
  const clientConfig = { endpoint: sts.endpoint, region: sts.region }

  // Interactive use: withMfa(promptForCode()) asks on the terminal instead.
  const credentials = pipe(
    fromSessionToken(
      { SerialNumber: sts.mfa.serialNumber, DurationSeconds: 3600 },
      { source: async () => sts.baseCredentials, clientConfig },
    ),
    withMfa(totp(sts.mfa.secret)),
    withRefresh(),
  )

  const client = new STSClient({ ...clientConfig, credentials })
  const me = await client.send(new GetCallerIdentityCommand({}))
  console.log(`signed in as ${me.Arn} with session key …${credentials.current()!.accessKeyId.slice(-4)}`)
  console.log(`MFA code sent: ${sts.requests[0]!.params['TokenCode'] === undefined ? 'no' : 'yes'}`)

  client.destroy()
  credentials.close()
  await sts.close()
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
