import type { StsFault } from './types.js'

/** A queue of injected faults, each hitting `count` matching requests. */
export type FaultQueue = {
  readonly add: (fault: StsFault) => void
  readonly clear: () => void
  /** Takes (consumes one use of) the first fault matching the request, if any, skipping faults of type `except`. */
  readonly take: (action: string, accessKeyId: string | undefined, except?: StsFault['type']) => StsFault | undefined
}

const matches = (f: StsFault, action: string, accessKeyId: string | undefined): boolean =>
  (f.action === undefined || f.action === action) && (f.type !== 'expiredToken' || f.accessKeyId === accessKeyId)

export const createFaultQueue = (): FaultQueue => {
  const entries: { fault: StsFault; left: number }[] = []
  return {
    add: (fault) => void entries.push({ fault, left: fault.count ?? 1 }),
    clear: () => void entries.splice(0),
    take: (action, accessKeyId, except) => {
      const i = entries.findIndex((e) => e.fault.type !== except && matches(e.fault, action, accessKeyId))
      const entry = entries[i]
      if (!entry) return undefined
      entry.left -= 1
      if (entry.left <= 0) entries.splice(i, 1)
      return entry.fault
    },
  }
}
