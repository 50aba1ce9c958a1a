import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Listens on 127.0.0.1 and an ephemeral port; resolves with the port. */
export const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })

/** Timers of injected delays, all cleared at close so none keeps the process alive. */
export const createTimers = (): { readonly sleep: (ms: number) => Promise<void>; readonly clear: () => void } => {
  const timers = new Set<NodeJS.Timeout>()
  return {
    sleep: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t)
          resolve()
        }, ms)
        timers.add(t)
      }),
    clear: () => {
      for (const t of timers) clearTimeout(t)
      timers.clear()
    },
  }
}
