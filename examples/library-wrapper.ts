// A small SDK wrapper library built on a client factory. The library takes a
// `ClientFactory` (not credentials, not a client) and asks it for its client on every
// call: a cache hit costs a fraction of a microsecond, and the library inherits the
// application's shared credentials, refresh, eviction and expired-token recovery.
// `ClientConfigOf<typeof STSClient>` gives its options the SDK's own config type,
// without `credentials`.
//
//   npx tsx examples/library-wrapper.ts
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import {
  fromAssumeRole,
  pipe,
  withClientCache,
  withRefresh,
  type ClientConfigOf,
  type ClientFactory,
} from '../lib/index.js'
import { startStsEmulator } from '../lib/testing/index.js'

// ---- the wrapper library (what would live in its own package) ----

type AccountInspectorOptions = {
  /** Config of the STS client, e.g. `{ maxAttempts: 5 }`. The factory supplies credentials. */
  readonly sts?: ClientConfigOf<typeof STSClient>
}

type AccountInspector = {
  readonly accountId: () => Promise<string | undefined>
  readonly canAssume: (roleArn: string) => Promise<boolean>
}

const accountInspector = (clients: ClientFactory, options: AccountInspectorOptions = {}): AccountInspector => {
  // Never keep the client: asking each time survives `clear()` and eviction.
  const sts = (): STSClient => clients.client(STSClient, options.sts)
  return {
    accountId: async () => (await sts().send(new GetCallerIdentityCommand({}))).Account,
    canAssume: (RoleArn) =>
      sts()
        .send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'probe', DurationSeconds: 900 }))
        .then(
          () => true,
          (e: unknown) => (e instanceof Error && e.name === 'AccessDenied' ? false : Promise.reject(e)),
        ),
  }
}

// ---- the application ----

const main = async (): Promise<void> => {
  const ACCOUNT = '123456789012'
  const appRole = `arn:aws:iam::${ACCOUNT}:role/app`
  const auditRole = `arn:aws:iam::${ACCOUNT}:role/audit` // the app role may chain into it
  const adminRole = `arn:aws:iam::${ACCOUNT}:role/admin` // nobody may assume it
  const sts = await startStsEmulator({
    accountId: ACCOUNT,
    roles: [
      { arn: appRole },
      { arn: auditRole, principals: [appRole] },
      { arn: adminRole, principals: ['arn:aws:iam::999999999999:root'] },
    ],
  })
  const emulator = { endpoint: sts.endpoint, region: sts.region, maxAttempts: 1 }
  const clients = pipe(
    fromAssumeRole({ RoleArn: appRole }, { source: async () => sts.baseCredentials, clientConfig: emulator }),
    withRefresh(),
    withClientCache({ region: sts.region, defaults: { endpoint: sts.endpoint } }),
  )
  try {
    const inspector = accountInspector(clients, { sts: { maxAttempts: 2 } })
    console.log(`account: ${await inspector.accountId()}`)
    console.log(`can assume audit: ${await inspector.canAssume(auditRole)}`)
    console.log(`can assume admin: ${await inspector.canAssume(adminRole)}`)

    // STS now rejects the session key as expired: the factory's middleware
    // refreshes the shared credentials once and retries; the library never notices.
    sts.inject({ type: 'expiredToken', accessKeyId: clients.credentials.current()?.accessKeyId ?? '', count: Infinity })
    console.log(`account after an ExpiredToken: ${await inspector.accountId()}`)

    const assumeRoles = sts.requests.filter(
      (r) => r.action === 'AssumeRole' && r.accessKeyId === sts.baseCredentials.accessKeyId,
    ).length
    console.log(`clients cached: ${clients.size}; app-role sessions fetched: ${assumeRoles}`)
    if (assumeRoles !== 2 || clients.size !== 1) throw new Error('expected one STS client and one refresh')
  } finally {
    clients.close()
    await sts.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
