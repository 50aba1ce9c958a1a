/**
 * AssumeRole of an MFA-protected role: withMfa(totp(secret)) supplies a fresh code only
 * when STS is really called; cached calls never ask. Against the local STS emulator.
 * Run: npx tsx examples/assume-role-mfa.ts
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromAssumeRole, pipe, totp, withMfa, withRefresh } from '../lib/index.js'
import { startStsEmulator } from '../lib/testing/index.js'

const main = async (): Promise<void> => {
  const sts = await startStsEmulator({ roles: [{ arn: 'arn:aws:iam::123456789012:role/admin', mfaRequired: true }] })
  const endpoint = { endpoint: sts.endpoint, region: sts.region }

  // In production the secret is your virtual MFA device's seed, e.g. process.env.MFA_SECRET.
  const codes = totp(sts.mfa.secret)
  let asked = 0
  const countingCodes = (serial: string): Promise<string> => {
    asked += 1
    return codes(serial)
  }

  const credentials = pipe(
    fromAssumeRole(
      { RoleArn: sts.roleArns[0]!, SerialNumber: sts.mfa.serialNumber },
      { source: async () => sts.baseCredentials, clientConfig: endpoint },
    ),
    withMfa(countingCodes),
    withRefresh(),
  )

  const client = new STSClient({ ...endpoint, credentials })
  for (let i = 0; i < 3; i++) {
    const me = await client.send(new GetCallerIdentityCommand({}))
    console.log(`call ${i + 1}: ${me.Arn} (MFA codes asked so far: ${asked})`)
  }

  client.destroy()
  credentials.close()
  await sts.close()
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
