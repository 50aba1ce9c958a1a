// Callers during a 500 ms refresh: real S3 clients (answered in-process) whose credentials
// come from AssumeRole on the STS emulator, each AssumeRole delayed 500 ms by the emulator's
// delay fault. Anchor: the SDK's fromTemporaryCredentials, which the client refreshes,
// blocking its callers, once the credentials are in their last 5 minutes.
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { lib, testing } from './dist'
import { type Figure, fmtMs, heading, info, interleaveRounds, percentile, smoke } from './harness'
import { countingStsHandler, inProcessS3, type StsCounter } from './s3'

const LIFETIME_S = 301 // the SDK sees these as due 1 s after issue, so it refreshes every ~1.5 s
const DELAY_MS = 500
const SPAN_MS = 2_500
const CALLERS = 4

interface Setup {
  readonly name: string
  readonly prepare: () => void
  readonly s3: S3Client
  readonly counter: StsCounter
  readonly latencies: number[]
  readonly others: number[]
}

/** CALLERS concurrent loops of HeadObject for SPAN_MS; records the latency of calls that overlapped an AssumeRole. */
const drive = async (s: Setup): Promise<number> => {
  s.prepare()
  const end = performance.now() + SPAN_MS
  const caller = async (): Promise<void> => {
    while (performance.now() < end) {
      const sent = s.counter.sent
      const busy = s.counter.inflight > 0
      const t0 = performance.now()
      await s.s3.send(new HeadObjectCommand({ Bucket: 'bench', Key: 'k' }))
      const ms = performance.now() - t0
      ;(busy || s.counter.sent > sent || s.counter.inflight > 0 ? s.latencies : s.others).push(ms)
    }
  }
  await Promise.all(Array.from({ length: CALLERS }, caller))
  return 0
}

export const refreshLatency = async (): Promise<Figure[]> => {
  heading(
    `Callers during a ${DELAY_MS} ms AssumeRole (${CALLERS} concurrent S3 callers, ${LIFETIME_S} s credentials, ${SPAN_MS} ms spans)`,
  )
  const { startStsEmulator } = testing()
  const [stsOurs, stsSdk] = await Promise.all([
    startStsEmulator({ credentialLifetimeSeconds: LIFETIME_S }),
    startStsEmulator({ credentialLifetimeSeconds: LIFETIME_S }),
  ])
  const oursCounter: StsCounter = { sent: 0, inflight: 0 }
  const sdkCounter: StsCounter = { sent: 0, inflight: 0 }
  // Ours on its defaults (advisory window: half of a 301 s lifetime). At the start of each
  // span its injected clock jumps 200 s ahead, into the advisory window, until the refresh
  // starts: one refresh per span, as the SDK gets (it refreshes every ~1.5 s on its own).
  let shift = 0
  const assumeRole = lib.fromAssumeRole(
    { RoleArn: stsOurs.roleArns[0] ?? '', RoleSessionName: 'bench' },
    {
      source: async () => stsOurs.baseCredentials,
      clientConfig: {
        endpoint: stsOurs.endpoint,
        region: stsOurs.region,
        requestHandler: countingStsHandler(stsOurs, oursCounter, DELAY_MS),
      },
    },
  )
  const ours = lib.withRefresh({ now: () => Date.now() + shift })(async () => {
    shift = 0
    return assumeRole()
  })
  const sdk: AwsCredentialIdentityProvider = fromTemporaryCredentials({
    params: { RoleArn: stsSdk.roleArns[0] ?? '', RoleSessionName: 'bench' },
    masterCredentials: stsSdk.baseCredentials,
    clientConfig: {
      endpoint: stsSdk.endpoint,
      region: stsSdk.region,
      requestHandler: countingStsHandler(stsSdk, sdkCounter, DELAY_MS),
    },
  })
  const client = (credentials: AwsCredentialIdentityProvider): S3Client =>
    new S3Client({ region: 'us-east-1', credentials, requestHandler: inProcessS3() })
  const setups: Setup[] = [
    {
      name: 'withRefresh',
      prepare: () => void (shift = 200_000),
      s3: client(ours),
      counter: oursCounter,
      latencies: [],
      others: [],
    },
    {
      name: 'fromTemporaryCredentials',
      prepare: () => undefined,
      s3: client(sdk),
      counter: sdkCounter,
      latencies: [],
      others: [],
    },
  ]
  try {
    for (const s of setups) await s.s3.send(new HeadObjectCommand({ Bucket: 'bench', Key: 'k' })) // cold fetch, not measured
    await interleaveRounds(setups, smoke ? 1 : 2, drive, 0)
  } finally {
    ours.close()
    for (const s of setups) s.s3.destroy()
    await Promise.all([stsOurs.close(), stsSdk.close()])
  }
  const [o, k] = setups.map((s) => {
    const sorted = [...s.latencies].sort((a, b) => a - b)
    info(`${s.name}: calls overlapping a refresh / AssumeRole calls`, `${sorted.length} / ${s.counter.sent - 1}`)
    info(`${s.name}: p50 / p99 of those calls`, `${fmtMs(percentile(sorted, 50))} / ${fmtMs(percentile(sorted, 99))}`)
    const rest = [...s.others].sort((a, b) => a - b)
    info(
      `${s.name}: p50 / p99 of the other calls (no refresh)`,
      `${fmtMs(percentile(rest, 50))} / ${fmtMs(percentile(rest, 99))}`,
    )
    return { worst: sorted[sorted.length - 1] ?? Number.NaN, n: sorted.length }
  }) as [{ worst: number; n: number }, { worst: number; n: number }]
  // Both sides must have refreshed during the spans, or the figure would prove nothing. A
  // caller that waited for the refresh takes at least DELAY_MS (about 1x the anchor); under
  // half of it, no caller waited and what remains is CPU contention and GC.
  const seen = o.n > 0 && k.n > 0
  return [
    {
      label: 'worst caller latency during a refresh: withRefresh vs SDK fromTemporaryCredentials',
      value: fmtMs(o.worst),
      anchor: fmtMs(k.worst),
      ratio: o.worst / k.worst,
      target: '<= 0.5x',
      ok: seen && o.worst / k.worst <= 0.5,
    },
  ]
}
