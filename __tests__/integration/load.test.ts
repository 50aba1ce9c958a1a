// Load: 100 clients from one withClientCache factory send 1 000 concurrent
// GetCallerIdentity commands to the loopback STS emulator while the shared provider
// refreshes. Every refresh must be exactly one AssumeRole, and no command may fail.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { pipe } from 'fp-ts/function'
import { withClientCache } from '../../lib/clients/withClientCache'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import type { ClientFactory } from '../../lib/types'
import { clientConfigFor } from '../support/stsFixture'

const CLIENTS = 100
const COMMANDS = 1_000
const MINUTE = 60_000
/**
 * Jest's limit of one scenario. A scenario is CPU-bound in this one process (the SDK signs and
 * the emulator verifies up to 2 000 SigV4 requests): about 3 s (6 s for the ExpiredToken burst,
 * twice the requests) on an idle 2-core machine, several times that when CI runs other test
 * files beside it. The limit only catches a hang; the counts are what each scenario proves.
 */
const SCENARIO_TIMEOUT_MS = 90_000

let clock = Date.now()
const now = (): number => clock
let sts: StsEmulator
let clients: ClientFactory

beforeEach(async () => {
  clock = Date.now()
  // One-hour credentials; a large skew allowance because the injected clock jumps ahead.
  sts = await startStsEmulator({ now, credentialLifetimeSeconds: 3600, maxSkewMs: 86_400_000 })
  const source = fromAssumeRole(
    { RoleArn: sts.roleArns[0]! },
    { source: async () => sts.baseCredentials, clientConfig: clientConfigFor(sts) },
  )
  clients = pipe(
    source,
    withRefresh({ now, background: false, jitter: 0 }),
    withClientCache({ region: sts.region, maxSize: CLIENTS, defaults: { endpoint: sts.endpoint, maxAttempts: 1 } }),
  )
})
afterEach(async () => {
  clients.close()
  await sts.close()
})

/** The factory's 100 clients: one config each, told apart by their user agent app id. */
const fleet = (): STSClient[] =>
  Array.from({ length: CLIENTS }, (_, i) => clients.client(STSClient, { userAgentAppId: `load-${i}` }))

/**
 * 1 000 commands spread over the fleet, all at once; or, with `midFlight`, 500 at once,
 * `midFlight()` as soon as the first of them is answered, then 500 more.
 */
const burst = async (midFlight?: () => void) => {
  const all = fleet()
  const send = (i: number) => all[i % CLIENTS]!.send(new GetCallerIdentityCommand({}))
  const started = Date.now()
  const first = Array.from({ length: midFlight ? COMMANDS / 2 : COMMANDS }, (_, i) => send(i))
  const second: ReturnType<typeof send>[] = []
  if (midFlight) {
    await Promise.race(first.map((p) => p.catch(() => undefined)))
    midFlight()
    second.push(...Array.from({ length: COMMANDS / 2 }, (_, i) => send(COMMANDS / 2 + i)))
  }
  const results = await Promise.allSettled([...first, ...second])
  return { results, ms: Date.now() - started }
}

const count = (action: string): number => sts.requests.filter((r) => r.action === action).length
const failures = (results: readonly PromiseSettledResult<unknown>[]): unknown[] =>
  results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
const currentKey = (): string | undefined => clients.credentials.current()?.accessKeyId

describe('withClientCache under load', () => {
  it('gives 100 distinct clients from one factory', () => {
    const all = fleet()
    expect(new Set(all).size).toBe(CLIENTS)
    expect(clients.size).toBe(CLIENTS)
    expect(fleet()).toEqual(all)
  })

  it(
    'runs 1 000 concurrent commands on a cold provider with one AssumeRole and no failure',
    async () => {
      const { results, ms } = await burst()
      expect(failures(results)).toEqual([])
      expect(count('AssumeRole')).toBe(1)
      expect(count('GetCallerIdentity')).toBe(COMMANDS)
      console.log(`cold: ${COMMANDS} commands over ${CLIENTS} clients in ${ms} ms, ${count('AssumeRole')} AssumeRole`)
    },
    SCENARIO_TIMEOUT_MS,
  )

  it(
    'refreshes once for 1 000 concurrent commands in the mandatory window, and signs them all with the new key',
    async () => {
      await fleet()[0]!.send(new GetCallerIdentityCommand({}))
      const old = currentKey()
      clock += 59.5 * MINUTE // 30 s left of one-hour credentials: every caller waits for the refresh
      sts.clearRequests()
      const { results, ms } = await burst()
      expect(failures(results)).toEqual([])
      expect(count('AssumeRole')).toBe(1)
      const signers = new Set(sts.requests.filter((r) => r.action === 'GetCallerIdentity').map((r) => r.accessKeyId))
      expect([...signers]).toEqual([currentKey()])
      expect(currentKey()).not.toBe(old)
      console.log(`mandatory window: ${COMMANDS} commands in ${ms} ms, ${count('AssumeRole')} AssumeRole`)
    },
    SCENARIO_TIMEOUT_MS,
  )

  it(
    'recovers 1 000 concurrent commands rejected with ExpiredToken with one AssumeRole and one retry each',
    async () => {
      await fleet()[0]!.send(new GetCallerIdentityCommand({}))
      const expired = currentKey()!
      sts.inject({ type: 'expiredToken', accessKeyId: expired, action: 'GetCallerIdentity', count: Infinity })
      sts.clearRequests()
      const { results, ms } = await burst()
      expect(failures(results)).toEqual([])
      expect(count('AssumeRole')).toBe(1)
      const calls = sts.requests.filter((r) => r.action === 'GetCallerIdentity')
      expect(calls.filter((r) => r.errorCode === 'ExpiredToken')).toHaveLength(COMMANDS)
      expect(calls.filter((r) => r.status === 200 && r.accessKeyId === currentKey())).toHaveLength(COMMANDS)
      expect(calls).toHaveLength(2 * COMMANDS)
      console.log(
        `ExpiredToken recovery: ${COMMANDS} commands in ${ms} ms, ${count('AssumeRole')} AssumeRole, ${calls.length} GetCallerIdentity`,
      )
    },
    SCENARIO_TIMEOUT_MS,
  )

  it(
    'refreshes once when the provider is invalidated while 500 commands are in flight and 500 more follow',
    async () => {
      await fleet()[0]!.send(new GetCallerIdentityCommand({}))
      const old = currentKey()
      sts.clearRequests()
      const { results, ms } = await burst(() => clients.credentials.invalidate())
      expect(failures(results)).toEqual([])
      expect(count('AssumeRole')).toBe(1)
      const fresh = currentKey()
      expect(fresh).not.toBe(old)
      const signers = sts.requests.filter((r) => r.action === 'GetCallerIdentity').map((r) => r.accessKeyId)
      expect(signers).toHaveLength(COMMANDS)
      // Requests signed before invalidate() keep the old key, which is still valid; every
      // command sent after it waited for the one refresh.
      expect(signers.filter((k) => k !== old && k !== fresh)).toEqual([])
      expect(signers.filter((k) => k === fresh).length).toBeGreaterThanOrEqual(COMMANDS / 2)
      expect(signers.filter((k) => k === old).length).toBeGreaterThanOrEqual(1)
      console.log(
        `invalidate() mid-flight: ${COMMANDS} commands in ${ms} ms, ${count('AssumeRole')} AssumeRole, ${signers.filter((k) => k === old).length} signed with the old key`,
      )
    },
    SCENARIO_TIMEOUT_MS,
  )
})
