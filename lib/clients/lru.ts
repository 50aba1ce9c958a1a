// The client cache: a list of entries, each holding a client with its class, its region
// bucket and a snapshot of its config, and stamped with a use counter for recency. A hit
// scans the list, comparing a class and a string per entry before any config (the cache is
// small: 64 clients by default), and writes one stamp; the scan for the least recently used
// entry runs only when a client is added, which costs far more than the scan.
import { bucketOf, NO_CONFIG, overlayEquals, type StoredConfig, storeConfig } from './clientKey.js'

type Config = Readonly<Record<string, unknown>>

type Entry<C> = StoredConfig & {
  readonly ClientClass: object
  readonly bucket: string | undefined
  readonly client: C
  lastUsed: number
}

/** Clients by class and equal config, bounded, least recently used evicted first. */
export type ClientLru<C> = {
  /**
   * The client of `ClientClass` whose stored config equals `config` merged over `base`
   * (`overlayEquals`), now the most recently used. Pass an empty `base` with a merged config.
   */
  readonly find: (ClientClass: object, base: Config, baseKeys: readonly string[], config: Config) => C | undefined
  /** Adds `client` for the merged config `config` as the most recently used; evicts past the bound. */
  readonly add: (ClientClass: object, config: Config, client: C) => void
  /** Removes every client, calling `onEvict` for each, least recently used first. */
  readonly clear: () => void
  readonly size: () => number
}

/**
 * @param maxSize the bound, a positive integer (validated by the caller)
 * @param onEvict called with each client dropped by the bound or by `clear()`; it must not
 * throw (the factory's never does: a failing `destroy()` is caught there)
 */
export const createClientLru = <C>(maxSize: number, onEvict: (client: C) => void): ClientLru<C> => {
  const entries: Entry<C>[] = []
  let used = 0
  return {
    find: (ClientClass, base, baseKeys, config) => {
      const bucket = bucketOf(base, config)
      for (const e of entries)
        if (e.ClientClass === ClientClass && e.bucket === bucket && overlayEquals(e, base, baseKeys, config)) {
          e.lastUsed = ++used
          return e.client
        }
      return undefined
    },
    add: (ClientClass, config, client) => {
      const bucket = bucketOf(NO_CONFIG, config)
      entries.push({ ...storeConfig(config), ClientClass, bucket, client, lastUsed: ++used })
      if (entries.length <= maxSize) return
      let oldest = 0
      entries.forEach((e, i) => {
        if (e.lastUsed < (entries[oldest] as Entry<C>).lastUsed) oldest = i
      })
      onEvict((entries.splice(oldest, 1)[0] as Entry<C>).client)
    },
    clear: () => {
      for (const e of entries.splice(0).sort((a, b) => a.lastUsed - b.lastUsed)) onEvict(e.client)
    },
    size: () => entries.length,
  }
}
