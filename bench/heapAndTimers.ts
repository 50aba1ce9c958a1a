// Heap over many refresh cycles, and the timers a provider leaves after close(). Timers are
// counted with async_hooks (every Timeout created, and whether it was cleared or fired),
// because process.getActiveResourcesInfo() never lists unref'd timers, so it could not fail.
import { createHook } from 'node:async_hooks'
import { lib } from './dist'
import { type Figure, heading, info, smoke } from './harness'

const HOUR = 3_600_000

/** Records the Timeout objects created while it is enabled; `live()` counts those neither fired nor cleared. */
const timerWatch = (): { live: () => number; stop: () => void } => {
  const timers: { _destroyed?: boolean }[] = []
  const hook = createHook({
    init: (_id, type, _trigger, resource) => void (type === 'Timeout' && timers.push(resource)),
  }).enable()
  return { live: () => timers.filter((t) => t._destroyed !== true).length, stop: () => void hook.disable() }
}

export const heapAndTimers = async (): Promise<Figure[]> => {
  const cycles = smoke ? 10_000 : 1_000_000
  heading(
    `Heap over ${cycles.toLocaleString('en-US')} refresh cycles (injected clock advanced past each expiry), then close()`,
  )
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) info('(no --expose-gc: heap figure is approximate)', '')
  const watch = timerWatch()
  let now = Date.now()
  const provider = lib.withRefresh({ now: () => now })(async () => ({
    accessKeyId: 'ASIACYCLE',
    secretAccessKey: 's',
    expiration: new Date(now + HOUR),
  }))
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
  const armed = watch.live()
  provider.close()
  const left = watch.live()
  watch.stop()
  return [
    {
      label: `heap growth over ${cycles.toLocaleString('en-US')} refreshes`,
      value: `${(growth / 1024).toFixed(1)} KiB`,
      target: '< 1 MiB',
      ok: growth < 1024 * 1024,
    },
    // The detector must see the armed timer before close(), or "0 after" would prove nothing.
    {
      label: 'live timers before close() (the detector sees the armed timer)',
      value: String(armed),
      target: '>= 1',
      ok: armed >= 1,
    },
    { label: 'live timers after close()', value: String(left), target: '0', ok: left === 0 },
  ]
}
