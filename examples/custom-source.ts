// A custom source: any function that returns credentials, here a stand-in for a vault
// lookup, made resilient and self-refreshing with the library's transforms.
//
//   npx tsx examples/custom-source.ts
import { fromCallable, pipe, withRefresh, withRetry, withTimeout } from '../lib/index.js'

let issued = 0
/** Pretend secret store: mints 4-second credentials and fails its second request. */
const vault = async (): Promise<{ accessKeyId: string; secretAccessKey: string; expiration: string }> => {
  issued += 1
  if (issued === 2)
    throw Object.assign(new Error('vault: 503 Service Unavailable'), { $metadata: { httpStatusCode: 503 } })
  return {
    accessKeyId: `ASIAVAULT${String(issued).padStart(11, '0')}`,
    secretAccessKey: `vault-secret-${issued}`,
    expiration: new Date(Date.now() + 4_000).toISOString(),
  }
}

const credentials = pipe(
  fromCallable(vault),
  withTimeout(1_000),
  withRetry({ retries: 2, baseMs: 50 }),
  withRefresh({
    earlyMs: 2_000,
    mandatoryMs: 500,
    onEvent: (e) => console.log(`  event: ${e.type}${'reason' in e ? ` (${e.reason})` : ''}`),
  }),
)

const main = async (): Promise<void> => {
  const first = await credentials()
  console.log(`first key ...${first.accessKeyId.slice(-4)}, expires ${first.expiration?.toISOString()}`)
  await new Promise((r) => setTimeout(r, 2_500)) // past the refresh point: the timer refreshed in the background
  const second = await credentials()
  console.log(`now key ...${second.accessKeyId.slice(-4)} (vault asked ${issued} times: one failure retried)`)
  credentials.close()
  if (second.accessKeyId === first.accessKeyId) throw new Error('expected a background refresh')
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
