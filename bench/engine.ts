// Benchmarks of the refresh engine against the SDK's own building blocks.
import { memoize } from '@smithy/property-provider'
import { withRefresh } from '../lib/refresh/withRefresh'
import type { AwsCredentialIdentity } from '../lib/types'
import { compare, heading, line, percentile, smoke } from './harness'

const HOUR = 3_600_000
const creds = (): AwsCredentialIdentity => ({ accessKeyId: 'ASIABENCH', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + HOUR) })
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export const cachedCall = async (): Promise<boolean> => {
  heading('Cached call (fresh value), ns per call, median of interleaved rounds')
  const value = creds()
  const bare = async (): Promise<AwsCredentialIdentity> => value
  const smithy = memoize(async () => creds(), (c) => (c.expiration?.getTime() ?? Infinity) <= Date.now(), (c) => c.expiration !== undefined)
  const ours = withRefresh()(async () => creds())
  await smithy()
  await ours()
  const t = await compare([
    { name: 'bare', run: bare },
    { name: 'memoize', run: smithy },
    { name: 'withRefresh', run: ours },
  ])
  ours.close()
  const [b, m, o] = [t.get('bare') ?? 0, t.get('memoize') ?? 0, t.get('withRefresh') ?? 0]
  line('bare `async () => creds`', `${b.toFixed(1)} ns`)
  line("smithy's memoize (@smithy/property-provider)", `${m.toFixed(1)} ns`)
  line('withRefresh provider', `${o.toFixed(1)} ns`)
  line('withRefresh / memoize', `${(o / m).toFixed(2)}x`, '<= 0.8x', o / m <= 0.8)
  line('withRefresh / bare async function', `${(o / b).toFixed(2)}x`)
  return o / m <= 0.8
}

export const coldStampede = async (): Promise<boolean> => {
  heading('Cold provider, 10 000 concurrent callers')
  let calls = 0
  const provider = withRefresh()(async () => {
    calls += 1
    await sleep(5)
    return creds()
  })
  await Promise.all(Array.from({ length: 10_000 }, () => provider()))
  provider.close()
  line('source calls', String(calls), '1', calls === 1)
  return calls === 1
}

export const latencyDuringRefresh = async (): Promise<boolean> => {
  heading('Caller latency while a 500 ms background refresh runs')
  let now = Date.now()
  let calls = 0
  let refreshing: Promise<void> = Promise.resolve()
  const provider = withRefresh({ background: false, jitter: 0, now: () => now })(async () => {
    calls += 1
    if (calls > 1) await (refreshing = sleep(500))
    return { ...creds(), expiration: new Date(now + HOUR) }
  })
  await provider()
  now += HOUR - 10 * 60_000 // inside the advisory window: the next call starts the refresh
  const latencies: number[] = []
  const end = performance.now() + (smoke ? 100 : 500)
  while (performance.now() < end) {
    const t0 = performance.now()
    await provider()
    latencies.push(performance.now() - t0)
    if (latencies.length % 100 === 0) await new Promise((r) => setImmediate(r)) // let the refresh's timer run
  }
  await refreshing // in a short (smoke) run the refresh outlives the measurement
  provider.close()
  latencies.sort((a, b) => a - b)
  const p99 = percentile(latencies, 99)
  line('calls measured', String(latencies.length))
  line('p50', `${(percentile(latencies, 50) * 1000).toFixed(2)} µs`)
  line('p99', `${(p99 * 1000).toFixed(2)} µs`, '< 1 ms', p99 < 1)
  line('source calls (one background refresh)', String(calls), '2', calls === 2)
  return p99 < 1 && calls === 2
}

export const heapOverCycles = async (): Promise<boolean> => {
  heading(`Heap over ${smoke ? '10 000' : '1 000 000'} refresh cycles (clock advanced past each expiry)`)
  const gc = (globalThis as { gc?: () => void }).gc
  let now = Date.now()
  const provider = withRefresh({ now: () => now })(async () => ({ accessKeyId: 'ASIACYCLE', secretAccessKey: 's', expiration: new Date(now + HOUR) }))
  const cycles = smoke ? 10_000 : 1_000_000
  const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  const run = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      now += HOUR
      await provider()
    }
  }
  await run(10_000)
  gc?.()
  const before = process.memoryUsage().heapUsed
  await run(cycles)
  gc?.()
  const growth = process.memoryUsage().heapUsed - before
  provider.close()
  const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length - timersBefore
  line('heap growth', `${(growth / 1024).toFixed(1)} KiB`, '< 1 MB', growth < 1_000_000)
  line('timers left after close()', String(timers), '0', timers === 0)
  if (!gc) line('(run with --expose-gc for an exact figure)', '')
  return growth < 1_000_000 && timers === 0
}
