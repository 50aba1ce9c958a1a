// A workload outside AWS (an on-premises server, a CI runner) turns its X.509 certificate
// into refreshing AWS credentials through IAM Roles Anywhere, against the local emulator:
// certificate files with an intermediate chain, an encrypted key, withRefresh, and the
// service's refusals as typed errors.
//
//   npx tsx examples/roles-anywhere.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromRolesAnywhere, isCredentialError, pipe, withRefresh } from '../lib/index.js'
import { startRolesAnywhereEmulator } from '../lib/testing/index.js'

const main = async (): Promise<void> => {
  // Real Roles Anywhere issues 900-43200 s credentials; the emulator issues 3 s ones for the demo.
  const ra = await startRolesAnywhereEmulator({ region: 'eu-west-1', credentialLifetimeSeconds: 3 })
  const dir = mkdtempSync(join(tmpdir(), 'roles-anywhere-example-'))
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text, { mode: 0o600 })
    return join(dir, name)
  }
  const passphrase = 'example passphrase' // in real use, from a secret store or an environment variable
  const host = {
    certificate: file('host.crt', ra.certificate.certificate),
    privateKey: file('host.key', ra.certificate.encryptPrivateKey(passphrase)),
    intermediates: file('chain.pem', ra.certificate.intermediates!),
  }
  try {
    const credentials = pipe(
      fromRolesAnywhere({
        trustAnchorArn: ra.trustAnchorArn,
        profileArn: ra.profileArn,
        roleArn: ra.roleArn,
        ...host,
        passphrase,
        endpoint: ra.endpoint, // only for the emulator: the default is https://rolesanywhere.REGION.amazonaws.com
        roleSessionName: 'nightly-backup',
      }),
      withRefresh({ earlyMs: 1_500, mandatoryMs: 500 }),
    )
    const first = await credentials()
    console.log(
      `first key ...${first.accessKeyId.slice(-4)} in account ${first.accountId}, expires ${first.expiration?.toISOString()}`,
    )
    await new Promise((r) => setTimeout(r, 2_000)) // past the refresh point: the timer refreshed in the background
    const second = await credentials()
    console.log(
      `now key ...${second.accessKeyId.slice(-4)}; ${ra.requests.length} CreateSession calls, signed ${ra.requests[0]?.algorithm}`,
    )
    credentials.close()
    if (second.accessKeyId === first.accessKeyId) throw new Error('expected a background refresh')

    const notInProfile = fromRolesAnywhere({
      trustAnchorArn: ra.trustAnchorArn,
      profileArn: ra.profileArn,
      roleArn: 'arn:aws:iam::123456789012:role/admin',
      ...host,
      passphrase,
      endpoint: ra.endpoint,
    })
    await notInProfile().catch((e: unknown) => {
      if (!isCredentialError(e, 'RolesAnywhereRejected')) throw e
      console.log(`refused as expected: ${e.code} ${e.statusCode}: ${e.message}`)
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await ra.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
