// One process working in many accounts: a pool of roles over one base provider. Each account's
// role gets one refreshing provider and one client factory (equal parameters in any key order
// are the same role), the pool keeps at most `maxSize` roles, runs at most `concurrency`
// AssumeRole calls at once, and one account's refusal does not touch the others.
//
//   npx tsx examples/role-pool.ts
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { pipe, withRolePool } from '../lib/index.js'
import { startStsEmulator } from '../lib/testing/index.js'

const ACCOUNTS = Array.from({ length: 40 }, (_, i) => String(200_000_000_000 + i))
const readerOf = (account: string): string => `arn:aws:iam::${account}:role/reader`
const LOCKED = 'arn:aws:iam::299999999999:role/reader'

const main = async (): Promise<void> => {
  const sts = await startStsEmulator({
    roles: [
      ...ACCOUNTS.map((a) => ({ arn: readerOf(a) })),
      { arn: LOCKED, principals: ['arn:aws:iam::299999999999:user/admin'] },
    ],
  })
  sts.inject({ type: 'delay', ms: 30, action: 'AssumeRole', count: Infinity }) // STS-like latency
  const pool = pipe(
    async () => sts.baseCredentials, // in production: fromNodeProviderChain(), or a withRefresh provider
    withRolePool({
      maxSize: 32,
      concurrency: 8,
      clientConfig: { endpoint: sts.endpoint, region: sts.region },
      clientCache: { region: sts.region, defaults: { endpoint: sts.endpoint } },
    }),
  )
  try {
    // Every account's role at once, plus one account that refuses us: at most 8 STS calls at a time.
    const role = (account: string) => ({ RoleArn: readerOf(account), ExternalId: 'tenant-key' })
    const results = await Promise.allSettled([
      ...ACCOUNTS.map((a) => pool.provider(role(a))()),
      pool.provider({ ...role('299999999999'), RoleArn: LOCKED })(),
    ])
    const peak = sts.peakInFlight()
    // Then commands in the 31 accounts still kept: they sign with the cached credentials, no STS call.
    await Promise.all(
      ACCOUNTS.slice(-31).map((a) => pool.clients(role(a)).client(STSClient).send(new GetCallerIdentityCommand({}))),
    )
    const failed = results.filter((r) => r.status === 'rejected')
    const assumeRoles = sts.requests.filter((r) => r.action === 'AssumeRole').length
    console.log(
      `${results.length - failed.length} roles assumed, ${failed.length} refused (${(failed[0]?.reason as { code?: string } | undefined)?.code})`,
    )
    console.log(
      `AssumeRole calls: ${assumeRoles} for ${ACCOUNTS.length + 1} roles; most in flight at STS: ${peak} (concurrency 8)`,
    )
    console.log(`roles kept: ${pool.size} (maxSize 32: the least recently used were closed)`)
    const same =
      pool.provider({ ExternalId: 'tenant-key', RoleArn: readerOf(ACCOUNTS[39]!) }) ===
      pool.clients(role(ACCOUNTS[39]!)).credentials
    if (assumeRoles !== ACCOUNTS.length + 1 || peak > 8 || failed.length !== 1 || pool.size !== 32 || !same)
      throw new Error('expected one AssumeRole per role, at most 8 at once, one refusal, 32 roles kept')
  } finally {
    await pool.close()
    await sts.close()
  }
}

void main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
