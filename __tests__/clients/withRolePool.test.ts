import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { pipe } from 'fp-ts/function'
import { withRolePool, type RolePool, type WithRolePoolOptions } from '../../lib/clients/withRolePool'
import type { RefreshEvent } from '../../lib/refresh/RefreshEvent'
import type { AwsCredentialIdentity } from '../../lib/types'
import { fakeStsHandler, roleArn } from '../support/fakeStsHandler'

const BASE: AwsCredentialIdentity = { accessKeyId: 'AKIABASE', secretAccessKey: 'base-secret' }
const MINUTE = 60_000

/** Lets every queued callback and stream tick run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r))
}

describe('withRolePool', () => {
  const pools: RolePool[] = []
  let sts: ReturnType<typeof fakeStsHandler>
  let baseCalls = 0
  const base = async (): Promise<AwsCredentialIdentity> => {
    baseCalls += 1
    return BASE
  }
  const make = (options: WithRolePoolOptions = {}): RolePool => {
    const pool = pipe(
      base,
      withRolePool({
        ...options,
        clientConfig: { region: 'us-east-1', maxAttempts: 1, requestHandler: sts.handler, ...options.clientConfig },
      }),
    )
    pools.push(pool)
    return pool
  }
  const assumeRoles = (): number => sts.calls.filter((c) => c.action === 'AssumeRole').length
  beforeEach(() => {
    sts = fakeStsHandler()
    baseCalls = 0
  })
  afterEach(async () => {
    jest.useRealTimers()
    sts.release()
    await Promise.all(pools.splice(0).map((p) => p.close()))
  })

  it('rejects every bad option at construction, before any call', () => {
    const bad: unknown[] = [
      'x',
      { maxSize: 0 },
      { maxSize: 1.5 },
      { concurrency: 0 },
      { concurrency: '5' },
      { clientConfig: null },
      { clientConfig: { credentials: BASE } },
      { refresh: 5 },
      { refresh: { jitter: 2 } },
      { clientCache: { maxSize: 0 } },
      { clientCache: [] },
    ]
    for (const options of bad)
      expect(() => withRolePool(options as WithRolePoolOptions)).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration' }),
      )
    expect(() => withRolePool()('not a provider' as never)).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration' }),
    )
    expect(sts.calls).toHaveLength(0)
  })

  it('gives the same provider for equal parameters in any key order, and another for other parameters', async () => {
    const pool = make()
    const a = pool.provider({ RoleArn: roleArn(1), ExternalId: 'ext-1', Tags: [{ Key: 'k', Value: 'v' }] })
    expect(
      pool.provider({ Tags: [{ Value: 'v', Key: 'k' }], ExternalId: 'ext-1', RoleArn: roleArn(1), Policy: undefined }),
    ).toBe(a)
    expect(pool.provider({ RoleArn: roleArn(1), ExternalId: 'ext-2' })).not.toBe(a)
    expect(pool.provider({ RoleArn: roleArn(2), ExternalId: 'ext-1' })).not.toBe(a)
    expect(pool.size).toBe(3)
    await Promise.all(Array.from({ length: 20 }, () => a()))
    expect(assumeRoles()).toBe(1)
    expect(sts.calls[0]).toMatchObject({ roleArn: roleArn(1), accessKeyId: BASE.accessKeyId })
  })

  it('keeps a copy of the parameters: changing the caller object later changes nothing', async () => {
    const pool = make()
    const params = { RoleArn: roleArn(1), ExternalId: 'ext-1' }
    const p = pool.provider(params)
    params.RoleArn = roleArn(9)
    await p()
    expect(sts.calls[0]?.roleArn).toBe(roleArn(1))
    expect(pool.provider({ RoleArn: roleArn(1), ExternalId: 'ext-1' })).toBe(p)
  })

  it('rejects bad parameters with InvalidConfiguration and keeps no role for them', () => {
    const pool = make()
    const bad: unknown[] = [
      undefined,
      'arn',
      [],
      {},
      { RoleArn: 'short' },
      { RoleArn: roleArn(1), SerialNumber: 'arn:aws:iam::123456789012:mfa/u' },
      { RoleArn: roleArn(1), ExternalId: () => 'x' },
      { RoleArn: roleArn(1), DurationSeconds: Number.NaN },
      { RoleArn: roleArn(1), Tags: [new Date()] },
    ]
    for (const params of bad) {
      expect(() => pool.provider(params as never)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
      expect(() => pool.clients(params as never)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
    }
    expect(pool.size).toBe(0)
  })

  it('gives one client factory per role, whose clients sign with that role', async () => {
    const pool = make({
      clientCache: { region: 'us-east-1', defaults: { requestHandler: sts.handler, maxAttempts: 1 } },
    })
    const clients = pool.clients({ RoleArn: roleArn(1) })
    expect(pool.clients({ RoleArn: roleArn(1) })).toBe(clients)
    expect(clients.credentials).toBe(pool.provider({ RoleArn: roleArn(1) }))
    expect(pool.clients({ RoleArn: roleArn(2) })).not.toBe(clients)
    await clients.client(STSClient).send(new GetCallerIdentityCommand({}))
    const identity = sts.calls.find((c) => c.action === 'GetCallerIdentity')
    expect(identity?.accessKeyId).toBe(clients.credentials.current()?.accessKeyId)
    expect(identity?.accessKeyId).not.toBe(BASE.accessKeyId)
  })

  it('runs at most `concurrency` AssumeRole calls at once, in the order they were asked for', async () => {
    const pool = make({ concurrency: 5 })
    sts.hold()
    const all = Promise.all(Array.from({ length: 40 }, (_, i) => pool.provider({ RoleArn: roleArn(i) })()))
    await settle()
    expect(sts.inFlight()).toBe(5)
    sts.release()
    const creds = await all
    expect(creds).toHaveLength(40)
    expect(sts.peak()).toBe(5)
    expect(assumeRoles()).toBe(40)
    expect(sts.calls.map((c) => c.roleArn)).toEqual(Array.from({ length: 40 }, (_, i) => roleArn(i)))
  })

  it('isolates failures: one role denied does not fail, delay or block another', async () => {
    const pool = make({ concurrency: 1 })
    sts.deny(roleArn(1))
    const denied = pool.provider({ RoleArn: roleArn(1) })()
    const fine = pool.provider({ RoleArn: roleArn(2) })()
    await expect(denied).rejects.toMatchObject({ code: 'StsRejected', statusCode: 403 })
    await expect(fine).resolves.toMatchObject({ accountId: '100000000002' })
    // The denied role backs off on its own; the other keeps its cached value without a call.
    await pool.provider({ RoleArn: roleArn(2) })()
    expect(assumeRoles()).toBe(2)
  })

  it('evicts the least recently used role past maxSize, closing its provider and its clients', async () => {
    const pool = make({ maxSize: 2, clientCache: { region: 'us-east-1' } })
    const a = pool.clients({ RoleArn: roleArn(1) })
    const client = a.client(STSClient)
    const destroy = jest.spyOn(client, 'destroy')
    const close = jest.spyOn(a.credentials, 'close')
    pool.provider({ RoleArn: roleArn(2) })
    pool.provider({ RoleArn: roleArn(1) }) // role 1 is now the most recent: role 2 goes first
    pool.provider({ RoleArn: roleArn(3) })
    expect(pool.size).toBe(2)
    expect(destroy).not.toHaveBeenCalled()
    expect(pool.provider({ RoleArn: roleArn(1) })).toBe(a.credentials)
    pool.provider({ RoleArn: roleArn(4) }) // role 3 least recent now
    pool.provider({ RoleArn: roleArn(5) }) // then role 1
    await settle()
    expect(destroy).toHaveBeenCalledTimes(1)
    expect(close).toHaveBeenCalledTimes(1)
    expect(pool.size).toBe(2)
    expect(pool.provider({ RoleArn: roleArn(1) })).not.toBe(a.credentials) // a new role for the same parameters
    expect(() => a.client(STSClient)).toThrow(expect.objectContaining({ code: 'Closed' }))
  })

  it("destroys an evicted role's clients only after their requests in flight settle", async () => {
    const pool = make({
      maxSize: 1,
      clientCache: { region: 'us-east-1', defaults: { requestHandler: sts.handler, maxAttempts: 1 } },
    })
    const clients = pool.clients({ RoleArn: roleArn(1) })
    await clients.credentials()
    const client = clients.client(STSClient)
    const destroy = jest.spyOn(client, 'destroy')
    sts.hold()
    const sent = client.send(new GetCallerIdentityCommand({}))
    const asked = clients.whoami()
    await settle()
    pool.provider({ RoleArn: roleArn(2) }) // evicts role 1 while its requests are held
    await settle()
    expect(destroy).not.toHaveBeenCalled()
    sts.release()
    await expect(sent).resolves.toMatchObject({ Account: '123456789012' })
    await expect(asked).resolves.toMatchObject({ Account: '123456789012' })
    await settle()
    expect(destroy).toHaveBeenCalledTimes(1)
  })

  it("never destroys the request handler given in clientConfig: it stays the caller's", async () => {
    const destroy = jest.spyOn(sts.handler, 'destroy')
    const pool = make({ maxSize: 1 })
    await pool.provider({ RoleArn: roleArn(1) })()
    await pool.provider({ RoleArn: roleArn(2) })() // evicts role 1; each call's STS client was destroyed
    await pool.close()
    expect(destroy).not.toHaveBeenCalled()
    expect(assumeRoles()).toBe(2)
  })

  it('forgets a role whose factory its user closed', () => {
    const pool = make()
    const clients = pool.clients({ RoleArn: roleArn(1) })
    clients.close()
    expect(pool.size).toBe(0)
    expect(pool.clients({ RoleArn: roleArn(1) })).not.toBe(clients)
  })

  it('jitters background refreshes and keeps them under the concurrency bound (fake timers)', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
    const events: RefreshEvent[] = []
    const pool = make({ concurrency: 3, refresh: { onEvent: (e) => events.push(e) } })
    const roles = Array.from({ length: 30 }, (_, i) => pool.provider({ RoleArn: roleArn(i) }))
    await Promise.all(roles.map((p) => p()))
    expect(assumeRoles()).toBe(30)
    const refreshAt = events.flatMap((e) => (e.type === 'refresh-succeeded' ? [e.refreshAt] : []))
    const spread = Math.max(...refreshAt) - Math.min(...refreshAt)
    // 1 h credentials: a 15 min advisory window widened by up to half of itself, per role.
    expect(new Set(refreshAt).size).toBe(30)
    expect(spread).toBeGreaterThan(2 * MINUTE)
    expect(spread).toBeLessThanOrEqual(7.5 * MINUTE + 1_000)
    const before = sts.peak()
    for (let t = 0; t < 46; t++) {
      await jest.advanceTimersByTimeAsync(MINUTE)
      await settle()
    }
    expect(assumeRoles()).toBe(60) // each role refreshed exactly once
    expect(Math.max(before, sts.peak())).toBeLessThanOrEqual(3)
    expect(baseCalls).toBeGreaterThan(0)
  })

  it('after close(), throws Closed, rejects queued STS calls with Closed and closes every role', async () => {
    const pool = make({ concurrency: 1 })
    const kept = pool.provider({ RoleArn: roleArn(9) })
    const close = jest.spyOn(kept, 'close')
    sts.hold()
    const running = pool.provider({ RoleArn: roleArn(1) })()
    const queued = pool.provider({ RoleArn: roleArn(2) })()
    await settle()
    const closing = pool.close()
    expect(() => pool.provider({ RoleArn: roleArn(1) })).toThrow(expect.objectContaining({ code: 'Closed' }))
    expect(() => pool.clients({ RoleArn: roleArn(1) })).toThrow(expect.objectContaining({ code: 'Closed' }))
    await expect(queued).rejects.toMatchObject({ code: 'Closed' })
    await expect(kept()).rejects.toMatchObject({ code: 'Closed' })
    expect(pool.size).toBe(0)
    sts.release()
    await expect(running).resolves.toMatchObject({ accountId: '100000000001' })
    await closing
    expect(close).toHaveBeenCalledTimes(1)
    expect(assumeRoles()).toBe(1)
  })
})
