// npm run demo [-- --quick]
// The whole pipeline against the embedded local emulators: no AWS account needed.
import { fromCallable, pipe, withRefresh, withRetry } from '../lib/index.js'
import { bold, sleep, timeline } from './support/timeline.js'

const quick = process.argv.includes('--quick')
const scale = quick ? 0.4 : 1

const main = async (): Promise<void> => {
  const t = timeline()
  console.log(bold('aws-refresh-session demo') + (quick ? ' (quick)' : ''))
  t.section('1. The refresh engine on a custom source: 10-second credentials, refreshed in the background')
  let outage = false
  let fetches = 0
  const credentials = pipe(
    fromCallable(async () => {
      fetches += 1
      if (outage) throw Object.assign(new Error('503 Service Unavailable'), { $metadata: { httpStatusCode: 503 } })
      return { accessKeyId: `ASIADEMO${String(fetches).padStart(12, '0')}`, secretAccessKey: 'demo-secret', expiration: Date.now() + 10_000 * scale }
    }),
    withRetry({ retries: 1, baseMs: 100 }),
    withRefresh({ earlyMs: 4_000 * scale, mandatoryMs: 2_000 * scale, backoffBaseMs: 1_000 * scale, onEvent: t.observer('engine') }),
  )
  const deadline = Date.now() + 24_000 * scale
  let calls = 0
  while (Date.now() < deadline) {
    const elapsed = deadline - Date.now()
    outage = elapsed < 16_000 * scale && elapsed > 10_000 * scale
    const creds = await credentials().catch((e: unknown) => { t.log('caller', `error: ${String(e)}`); return undefined })
    calls += 1
    if (calls % 20 === 1 && creds) t.log('caller', `call #${calls} served`, creds)
    await sleep(100 * scale)
  }
  credentials.close()
  t.section('Summary')
  console.log(`  ${calls} calls, ${fetches} source fetches (one per half-life, plus the failed tries of the outage)`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
