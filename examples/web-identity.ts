/**
 * AssumeRoleWithWebIdentity from a token file (as on EKS or GitHub Actions), re-read at
 * each refresh; the request is unsigned. Against the local STS emulator.
 * Run: npx tsx examples/web-identity.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromWebIdentity, pipe, withRefresh } from '../lib/index.js'
import { startStsEmulator } from '../lib/testing/index.js'

const main = async (): Promise<void> => {
  const sts = await startStsEmulator()
  const dir = await mkdtemp(join(tmpdir(), 'web-identity-'))
  const tokenFile = join(dir, 'token')
  await writeFile(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.example.signature')

  // In production: RoleArn from AWS_ROLE_ARN, WebIdentityTokenFile from AWS_WEB_IDENTITY_TOKEN_FILE.
  const credentials = pipe(
    fromWebIdentity(
      { RoleArn: sts.roleArns[0]!, WebIdentityTokenFile: tokenFile },
      { clientConfig: { endpoint: sts.endpoint, region: sts.region } },
    ),
    withRefresh(),
  )

  const creds = await credentials()
  console.log(
    `account ${creds.accountId}, key …${creds.accessKeyId.slice(-4)}, expires ${creds.expiration?.toISOString()}`,
  )
  console.log(
    `request signed: ${sts.requests[0]!.headers['authorization'] === undefined ? 'no (as STS expects)' : 'yes'}`,
  )

  credentials.close()
  await sts.close()
  await rm(dir, { recursive: true, force: true })
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
