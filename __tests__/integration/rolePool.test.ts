import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { pipe } from 'fp-ts/function'
import { withRolePool, type RolePool, type WithRolePoolOptions } from '../../lib/clients/withRolePool'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { roleArn } from '../support/fakeStsHandler'

const ROLES = 30
const DENIED = 'arn:aws:iam::100000000999:role/locked'

describe('withRolePool (against the STS emulator)', () => {
  let sts: StsEmulator
  const pools: RolePool[] = []
  beforeAll(async () => {
    sts = await startStsEmulator({
      roles: [
        ...Array.from({ length: ROLES }, (_, i) => ({ arn: roleArn(i) })),
        { arn: DENIED, principals: ['arn:aws:iam::100000000999:user/admin'] },
      ],
    })
  })
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()))
    sts.clearFaults()
    sts.clearRequests()
  })
  afterAll(() => sts.close())

  const make = (options: WithRolePoolOptions = {}): RolePool => {
    const pool = pipe(
      async () => sts.baseCredentials,
      withRolePool({
        clientConfig: { endpoint: sts.endpoint, region: sts.region, maxAttempts: 1 },
        clientCache: { region: sts.region, defaults: { endpoint: sts.endpoint, maxAttempts: 1 } },
        ...options,
      }),
    )
    pools.push(pool)
    return pool
  }
  const assumed = (arn?: string): number =>
    sts.requests.filter((r) => r.action === 'AssumeRole' && (arn === undefined || r.params['RoleArn'] === arn)).length
  const whoAmI = (pool: RolePool, params: Parameters<RolePool['clients']>[0]) =>
    pool.clients(params).client(STSClient).send(new GetCallerIdentityCommand({}))

  it('gives one role for equal parameters in any key order: one AssumeRole for 20 concurrent commands', async () => {
    const pool = make()
    const a = { RoleArn: roleArn(1), ExternalId: 'tenant-1', DurationSeconds: 900 }
    const b = { DurationSeconds: 900, ExternalId: 'tenant-1', RoleArn: roleArn(1) }
    expect(pool.clients(b)).toBe(pool.clients(a))
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => whoAmI(pool, i % 2 ? a : b)))
    expect(new Set(answers.map((x) => x.Arn)).size).toBe(1)
    expect(answers[0]?.Arn).toContain(':assumed-role/reader/')
    expect(assumed()).toBe(1)
    expect(sts.requests.find((r) => r.action === 'AssumeRole')?.params).toMatchObject({
      RoleArn: roleArn(1),
      ExternalId: 'tenant-1',
      DurationSeconds: '900',
    })
  })

  it('never has more than `concurrency` AssumeRole requests at the emulator at once', async () => {
    const pool = make({ concurrency: 4 })
    sts.inject({ type: 'delay', ms: 50, action: 'AssumeRole', count: Infinity })
    const creds = await Promise.all(Array.from({ length: ROLES }, (_, i) => pool.provider({ RoleArn: roleArn(i) })()))
    expect(new Set(creds.map((c) => c.accessKeyId)).size).toBe(ROLES)
    expect(new Set(sts.requests.map((r) => r.params['RoleArn'])).size).toBe(ROLES)
    expect(assumed()).toBe(ROLES)
    expect(sts.peakInFlight()).toBe(4)
    expect(sts.inFlight()).toBe(0)
  })

  it('closes an evicted role: its clients are destroyed, and using its parameters again assumes the role anew', async () => {
    const pool = make({ maxSize: 2 })
    await whoAmI(pool, { RoleArn: roleArn(1) })
    const first = pool.clients({ RoleArn: roleArn(1) })
    const destroy = jest.spyOn(first.client(STSClient), 'destroy')
    const close = jest.spyOn(first.credentials, 'close')
    await whoAmI(pool, { RoleArn: roleArn(2) })
    await whoAmI(pool, { RoleArn: roleArn(3) }) // evicts role 1
    await new Promise((r) => setImmediate(r))
    expect(pool.size).toBe(2)
    expect(destroy).toHaveBeenCalledTimes(1)
    expect(close).toHaveBeenCalledTimes(1)
    await whoAmI(pool, { RoleArn: roleArn(1) })
    expect(assumed(roleArn(1))).toBe(2)
    expect(assumed()).toBe(4)
  })

  it('isolates failures: AccessDenied for one role leaves the others working', async () => {
    const pool = make({ concurrency: 1 })
    const results = await Promise.allSettled([
      whoAmI(pool, { RoleArn: roleArn(1) }),
      pool.provider({ RoleArn: DENIED })(),
      whoAmI(pool, { RoleArn: roleArn(2) }),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'StsRejected',
      statusCode: 403,
      source: 'fromAssumeRole',
    })
    // The denied role backs off; the others keep serving without another STS call.
    await expect(pool.provider({ RoleArn: DENIED })()).rejects.toMatchObject({ code: 'StsRejected' })
    await whoAmI(pool, { RoleArn: roleArn(1) })
    expect(assumed(roleArn(1))).toBe(1)
    expect(assumed(roleArn(2))).toBe(1)
  })
})
