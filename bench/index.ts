// npm run bench            full run (figures in README.md and BENCHMARKS.md)
// npm run bench -- --smoke a few seconds, to keep the benchmarks from rotting (CI)
import { cpus } from 'node:os'
import { clientCacheHit, sharedProvider } from './clients'
import { cachedCall, coldStampede, heapOverCycles, latencyDuringRefresh } from './engine'
import { smoke } from './harness'

const main = async (): Promise<void> => {
  console.log(`aws-refresh-session benchmarks${smoke ? ' (smoke)' : ''}: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`)
  const results = [
    await cachedCall(),
    await coldStampede(),
    await latencyDuringRefresh(),
    await heapOverCycles(),
    await clientCacheHit(),
    await sharedProvider(),
  ]
  const missed = results.filter((ok) => !ok).length
  console.log(`\n${results.length - missed} of ${results.length} benchmarks met their targets`)
  // A smoke run proves the benchmarks still work; its timings on a busy CI machine are not judged.
  if (!smoke && missed > 0) process.exitCode = 1
}

void main()
