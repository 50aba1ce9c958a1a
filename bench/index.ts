// npm run bench             build, then every suite against dist/ (figures in BENCHMARKS.md)
// npm run bench -- --smoke  a few seconds: every figure computed, timings not judged (CI)
// npm run bench -- --only cached-call,cli-cache-hit   some suites only
import { cpus } from 'node:os'
import { bundleSize } from './bundleSize'
import { cachedCall } from './cachedCall'
import { cliCacheHit } from './cliCacheHit'
import { clientCacheHit } from './clientCacheHit'
import { heapAndTimers } from './heapAndTimers'
import { importTime } from './importTime'
import { perRequest } from './perRequest'
import { refreshLatency } from './refreshLatency'
import { rolePool } from './rolePool'
import { type Figure, printFigure, smoke } from './harness'
import { coldStampede } from './stampede'
import { stsPerRefresh } from './stsPerRefresh'

/**
 * A suite returns its figures (printed here, each judged against its target), or, in the
 * older style, prints its own lines and returns whether it met its targets.
 */
type Suite = () => Promise<readonly Figure[] | boolean>

const suites: readonly (readonly [string, Suite])[] = [
  ['cached-call', cachedCall],
  ['cold-stampede', coldStampede],
  ['heap-and-timers', heapAndTimers],
  ['refresh-latency', refreshLatency],
  ['client-cache-hit', clientCacheHit],
  ['per-request', perRequest],
  ['sts-per-refresh', stsPerRefresh],
  ['role-pool', rolePool],
  ['import-time', importTime],
  ['bundle-size', bundleSize],
  ['cli-cache-hit', cliCacheHit],
]

const selected = (): readonly (readonly [string, Suite])[] => {
  const i = process.argv.indexOf('--only')
  if (i < 0) return suites
  const names = (process.argv[i + 1] ?? '').split(',')
  return suites.filter(([name]) => names.includes(name))
}

const main = async (): Promise<void> => {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true' // the SDK's Node 20 notice, once per client
  const started = performance.now()
  console.log(
    `aws-refresh-session benchmarks${smoke ? ' (smoke: timings not judged)' : ''}: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}`,
  )
  let figures = 0
  const missed: string[] = []
  for (const [name, suite] of selected()) {
    const t0 = performance.now()
    let result: readonly Figure[] | boolean
    try {
      result = await suite()
    } catch (e) {
      // A suite that cannot run is a MISS with its reason, never a silent pass.
      result = [
        {
          label: `${name} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
          value: 'error',
          target: 'runs',
          ok: false,
        },
      ]
    }
    if (typeof result === 'boolean') {
      figures += 1
      if (!result) missed.push(name)
    } else {
      for (const f of result) {
        printFigure(f)
        figures += 1
        if (!f.ok) missed.push(`${name}: ${f.label}`)
      }
    }
    console.log(`  (${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`)
  }
  console.log(
    `\n${figures - missed.length} of ${figures} figures met their targets (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  )
  for (const m of missed) console.log(`  MISS ${m}`)
  // A smoke run proves every figure is still computed; timings on a busy CI machine are not judged.
  if (!smoke && missed.length > 0) process.exitCode = 1
}

void main()
