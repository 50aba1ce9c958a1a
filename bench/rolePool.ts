// withRolePool at fleet scale against the STS emulator: N roles cold with concurrency 50,
// then one refresh cycle of all of them, next to the naive alternative (one SDK
// fromTemporaryCredentials per account, all asked at once). Requests in flight are counted
// by the emulator itself; each AssumeRole is delayed 20 ms there to stand in for STS latency.
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import type { StsEmulator } from '../lib/testing/startStsEmulator'
import type { RefreshEvent } from '../lib/refresh/RefreshEvent'
import type { AwsCredentialIdentity } from '../lib/types'
import { lib, testing } from './dist'
import { heading, line, smoke } from './harness'

const { withRolePool } = lib

const CONCURRENCY = 50
const LATENCY_MS = 20
const MINUTE = 60_000

/** Prints one figure with its target and verdict; returns whether it met it. */
const check = (label: string, value: string, target: string, ok: boolean): boolean => {
  line(label, value, target, ok)
  return ok
}

const roleArn = (i: number): string => `arn:aws:iam::${String(100_000_000_000 + i)}:role/reader`
const gc = (): void => (globalThis as { gc?: () => void }).gc?.()
const heapMb = (): number => (gc(), process.memoryUsage().heapUsed / 2 ** 20)
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const assumeRoles = (sts: StsEmulator): number => sts.requests.filter((r) => r.action === 'AssumeRole').length

/** The most refresh points that fall in any one second: the STS rate this schedule would cause. */
const busiestSecond = (points: readonly number[]): number => {
  const perSecond = new Map<number, number>()
  for (const p of points) perSecond.set(Math.floor(p / 1000), (perSecond.get(Math.floor(p / 1000)) ?? 0) + 1)
  return Math.max(0, ...perSecond.values())
}

type Figures = {
  readonly coldMs: number
  readonly peak: number
  readonly calls: number
  readonly distinct: number
  readonly failed: number
  readonly kbPerRole: number
  readonly refreshMs: number
  readonly refreshPeak: number
  readonly refreshCalls: number
  readonly spreadMs: number
  readonly busiest: number
}

const runPool = async (sts: StsEmulator, n: number): Promise<Figures> => {
  let offsetMs = 0
  const refreshAt: number[] = []
  let refreshed = 0 // background refreshes settled, succeeded or failed
  const onEvent = (e: RefreshEvent): void => {
    if (e.type === 'refresh-succeeded' && e.reason === 'cold') refreshAt.push(e.refreshAt)
    else if ((e.type === 'refresh-succeeded' || e.type === 'refresh-failed') && e.reason !== 'cold') refreshed += 1
  }
  const pool = withRolePool({
    concurrency: CONCURRENCY,
    maxSize: n,
    clientConfig: { endpoint: sts.endpoint, region: sts.region, maxAttempts: 1 },
    refresh: { now: () => Date.now() + offsetMs, onEvent },
  })(async () => sts.baseCredentials)
  sts.clearRequests()
  let start = performance.now()
  const settled = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => pool.provider({ RoleArn: roleArn(i) })()),
  )
  const coldMs = performance.now() - start
  const creds = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  settled.length = 0
  const calls = assumeRoles(sts)
  const peak = sts.peakInFlight()
  const distinct = new Set(creds.map((c) => c.accessKeyId)).size
  const failed = n - creds.length
  creds.length = 0
  sts.clearRequests()
  const spreadMs = Math.max(...refreshAt) - Math.min(...refreshAt)
  const busiest = busiestSecond(refreshAt)
  // One refresh cycle: move the pool's clock past every refresh point (none is in the blocking
  // window yet), then touch each role: each serves its value and refreshes in the background.
  offsetMs = 46 * MINUTE
  start = performance.now()
  for (let i = 0; i < n; i++) void pool.provider({ RoleArn: roleArn(i) })()
  while (refreshed < distinct && performance.now() - start < 600_000) await new Promise((r) => setTimeout(r, 5))
  const refreshMs = performance.now() - start
  const refreshPeak = sts.peakInFlight()
  const refreshCalls = assumeRoles(sts)
  sts.clearRequests()
  // What the roles hold: the heap they free when the pool closes (the emulator's own keys stay).
  const withRoles = heapMb()
  await pool.close()
  const kbPerRole = ((withRoles - heapMb()) * 1024) / n
  return { coldMs, peak, calls, distinct, failed, kbPerRole, refreshMs, refreshPeak, refreshCalls, spreadMs, busiest }
}

const runNaive = async (
  sts: StsEmulator,
  n: number,
): Promise<{
  readonly ms: number
  readonly peak: number
  readonly failed: number
  readonly reasons: string
  readonly kbPerRole: number
}> => {
  sts.clearRequests()
  const base = async (): Promise<AwsCredentialIdentity> => sts.baseCredentials
  const providers = Array.from({ length: n }, (_, i) =>
    fromTemporaryCredentials({
      params: { RoleArn: roleArn(i) },
      masterCredentials: base,
      clientConfig: { endpoint: sts.endpoint, region: sts.region, maxAttempts: 1 },
    }),
  )
  const start = performance.now()
  const results = await Promise.allSettled(providers.map((p) => p()))
  const ms = performance.now() - start
  const peak = sts.peakInFlight()
  const failures = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason as { code?: string; name?: string }] : [],
  )
  const failed = failures.length
  const reasons = [...new Set(failures.map((e) => e.code ?? e.name ?? 'unknown'))].slice(0, 3).join(', ')
  results.length = 0
  sts.clearRequests()
  const withProviders = heapMb()
  providers.length = 0
  const kbPerRole = ((withProviders - heapMb()) * 1024) / n
  return { ms, peak, failed, reasons, kbPerRole }
}

/** N roles cold and one refresh cycle through withRolePool, then the naive alternative. */
export async function rolePool(): Promise<boolean> {
  const n = smoke ? 500 : 10_000
  heading(
    `Role pool: ${n} roles, concurrency ${CONCURRENCY}, against the STS emulator (${LATENCY_MS} ms per AssumeRole)`,
  )
  const sts = await testing().startStsEmulator({ roles: Array.from({ length: n }, (_, i) => ({ arn: roleArn(i) })) })
  sts.inject({ type: 'delay', ms: LATENCY_MS, action: 'AssumeRole', count: Infinity })
  try {
    // Warm both paths up (JIT, the SDK's lazy modules) so neither pays it in the figures.
    await runPool(sts, Math.min(200, n))
    await runNaive(sts, Math.min(200, n))
    const p = await runPool(sts, n)
    const naive = await runNaive(sts, n)
    const checks = [
      check(
        'cold: AssumeRole calls / roles with credentials / failed',
        `${p.calls} / ${p.distinct} / ${p.failed}`,
        `${n} / ${n} / 0`,
        p.calls === n && p.distinct === n && p.failed === 0,
      ),
      check(
        'cold: most AssumeRole in flight at the emulator',
        String(p.peak),
        `<= ${CONCURRENCY}`,
        p.peak <= CONCURRENCY,
      ),
      check('cold: total time', seconds(p.coldMs), '<= 1.5x naive', p.coldMs <= 1.5 * naive.ms),
      check(
        'cold: heap per role (provider + cached credentials)',
        `${p.kbPerRole.toFixed(1)} KB`,
        '< 16 KB',
        p.kbPerRole < 16,
      ),
      check(
        'refresh points spread by jitter',
        `${(p.spreadMs / MINUTE).toFixed(1)} min`,
        '>= 5 min',
        p.spreadMs >= 5 * MINUTE,
      ),
      check(
        'busiest second of that refresh schedule',
        `${p.busiest} calls`,
        `<= ${Math.max(10, n / 100)}`,
        p.busiest <= Math.max(10, n / 100),
      ),
      check('refresh cycle: AssumeRole calls', String(p.refreshCalls), String(n), p.refreshCalls === n),
      check(
        'refresh cycle: most AssumeRole in flight at the emulator',
        String(p.refreshPeak),
        `<= ${CONCURRENCY}`,
        p.refreshPeak <= CONCURRENCY,
      ),
      check('refresh cycle: total time', seconds(p.refreshMs), '<= 1.5x cold', p.refreshMs <= 1.5 * p.coldMs),
    ]
    line('naive fromTemporaryCredentials x N: total time / failed', `${seconds(naive.ms)} / ${naive.failed}`)
    if (naive.failed > 0) line('naive: failures', naive.reasons)
    line('naive: heap per role (provider + its STSClient)', `${naive.kbPerRole.toFixed(1)} KB`)
    checks.push(
      check(
        'naive: most in flight at the emulator (pool / naive)',
        `${p.peak} / ${naive.peak}`,
        'pool < naive',
        p.peak < naive.peak,
      ),
    )
    checks.push(
      check(
        'heap per role, pool / naive',
        `${(p.kbPerRole / naive.kbPerRole).toFixed(2)}x`,
        '< 0.75x',
        p.kbPerRole < 0.75 * naive.kbPerRole,
      ),
    )
    return checks.every(Boolean)
  } finally {
    await sts.close()
  }
}
