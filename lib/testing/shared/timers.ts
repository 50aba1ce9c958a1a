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
