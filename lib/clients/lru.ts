// The client cache: entries indexed by region, each holding a client with its class and a
// snapshot of its config, and stamped with a use counter for recency. A hit is one map read,
// a class check and a config comparison per entry of that region, and one stamp written; the
// scan for the least recently used entry runs only when a client is added, which costs far
// more than the scan.
//
// The region index never loses a hit: a region is a string or a provider function, and
// equal configs hold the same one (a Map compares keys as `configEquals` compares these). A
// region of another kind, which the SDK does not accept, finds only the same object.
import { overlayEquals, type StoredConfig, storeConfig } from './clientKey.js'

type Config = Readonly<Record<string, unknown>>

/** An entry is the stored config itself (`record`, `size`), with its client beside it. */
type Entry<C> = StoredConfig & {
  readonly ClientClass: object
  readonly region: unknown
  readonly client: C
  /** Destroys the client, now or once it is idle. */
  readonly evict: () => void
  lastUsed: number
}

/** Clients by class and equal config, bounded, least recently used evicted first. */
export type ClientLru<C> = {
  /**
   * The client of `ClientClass` whose stored config equals `config` merged over `base`
   * (`overlayEquals`), now the most recently used. Pass an empty `base` with a merged config.
   */
  readonly find: (ClientClass: object, base: Config, baseKeys: readonly string[], config: Config) => C | undefined
  /**
   * Adds `client` for the merged config `config` as the most recently used; past the bound,
   * removes the least recently used entry and calls its `evict`.
   */
  readonly add: (ClientClass: object, config: Config, client: C, evict: () => void) => void
  /** Removes every entry, calling each `evict`, least recently used first. */
  readonly clear: () => void
  readonly size: () => number
}

/**
 * @param maxSize the bound, a positive integer (validated by the caller). An entry's `evict`
 * must not throw (the factory's never does: a failing `destroy()` is caught there).
 */
export const createClientLru = <C>(maxSize: number): ClientLru<C> => {
  const byRegion = new Map<unknown, Entry<C>[]>()
  let used = 0
  let size = 0
  const entries = (): Entry<C>[] => [...byRegion.values()].flat()
  const evictOldest = (): void => {
    const oldest = entries().reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a))
    const list = byRegion.get(oldest.region) as Entry<C>[]
    list.splice(list.indexOf(oldest), 1)
    if (list.length === 0) byRegion.delete(oldest.region)
    size -= 1
    oldest.evict()
  }
  return {
    find: (ClientClass, base, baseKeys, config) => {
      const list = byRegion.get(config['region'] === undefined ? base['region'] : config['region'])
      if (list !== undefined)
        for (const e of list)
          if (e.ClientClass === ClientClass && overlayEquals(e, base, baseKeys, config)) {
            e.lastUsed = ++used
            return e.client
          }
      return undefined
    },
    add: (ClientClass, config, client, evict) => {
      const region = config['region']
      const e: Entry<C> = { ...storeConfig(config), ClientClass, region, client, evict, lastUsed: ++used }
      const list = byRegion.get(region)
      if (list) list.push(e)
      else byRegion.set(region, [e])
      if (++size > maxSize) evictOldest()
    },
    clear: () => {
      const all = entries().sort((a, b) => a.lastUsed - b.lastUsed)
      byRegion.clear()
      size = 0
      for (const e of all) e.evict()
    },
    size: () => size,
  }
}
