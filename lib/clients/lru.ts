// The client cache: an index by class and region bucket, holding each client with a
// snapshot of its config, and a doubly linked recency list for least-recently-used
// eviction. A hit is two map reads, a few config comparisons and four pointer writes.
import { bucketOf, type StoredConfig, storeConfig } from './clientKey.js'

type Config = Readonly<Record<string, unknown>>

type Entry<C> = {
  readonly ClientClass: object
  readonly bucket: string | undefined
  readonly config: StoredConfig
  readonly client: C
  prev: Entry<C> | undefined
  next: Entry<C> | undefined
}

/** Clients by class and equal config, bounded, least recently used evicted first. */
export type ClientLru<C> = {
  /**
   * The client of `ClientClass` filed under `bucket` (`bucketOf` its config) whose stored
   * config `matches(stored, arg)`, now the most recently used. `matches` and `arg` are
   * passed apart so that a lookup allocates no closure.
   */
  readonly find: <A>(
    ClientClass: object,
    bucket: string | undefined,
    matches: (stored: StoredConfig, arg: A) => boolean,
    arg: A,
  ) => C | undefined
  /** Adds `client` for the merged config `config` as the most recently used; evicts past the bound. */
  readonly add: (ClientClass: object, config: Config, client: C) => void
  /** Removes every client, calling `onEvict` for each, least recently used first. */
  readonly clear: () => void
  readonly size: () => number
}

/**
 * @param maxSize the bound, a positive integer (validated by the caller)
 * @param onEvict called with each client dropped by the bound or by `clear()`; what it
 * throws is ignored, so one failing `destroy()` never breaks the cache
 */
export const createClientLru = <C>(maxSize: number, onEvict: (client: C) => void): ClientLru<C> => {
  const index = new Map<object, Map<string | undefined, Entry<C>[]>>()
  // Recency list: `newest` is the most recently used; `oldest` is evicted first.
  let newest: Entry<C> | undefined
  let oldest: Entry<C> | undefined
  let size = 0

  const unlink = (e: Entry<C>): void => {
    if (e.prev) e.prev.next = e.next
    else newest = e.next
    if (e.next) e.next.prev = e.prev
    else oldest = e.prev
    e.prev = e.next = undefined
  }
  const pushNewest = (e: Entry<C>): void => {
    e.next = newest
    if (newest) newest.prev = e
    newest = e
    oldest ??= e
  }
  const evict = (client: C): void => {
    try {
      onEvict(client)
    } catch {
      // A client that fails to destroy is dropped all the same.
    }
  }
  const remove = (e: Entry<C>): void => {
    unlink(e)
    size -= 1
    const buckets = index.get(e.ClientClass)
    const list = buckets?.get(e.bucket)
    if (!buckets || !list) return
    list.splice(list.indexOf(e), 1)
    if (list.length === 0) buckets.delete(e.bucket)
    if (buckets.size === 0) index.delete(e.ClientClass)
  }

  return {
    find: (ClientClass, bucket, matches, arg) => {
      const list = index.get(ClientClass)?.get(bucket)
      if (list === undefined) return undefined
      for (let i = 0; i < list.length; i++) {
        const e = list[i] as Entry<C>
        if (!matches(e.config, arg)) continue
        if (e !== newest) {
          unlink(e)
          pushNewest(e)
        }
        return e.client
      }
      return undefined
    },
    add: (ClientClass, config, client) => {
      const e: Entry<C> = {
        ClientClass,
        bucket: bucketOf(config),
        config: storeConfig(config),
        client,
        prev: undefined,
        next: undefined,
      }
      let buckets = index.get(ClientClass)
      if (!buckets) index.set(ClientClass, (buckets = new Map<string | undefined, Entry<C>[]>()))
      const list = buckets.get(e.bucket)
      if (list) list.push(e)
      else buckets.set(e.bucket, [e])
      pushNewest(e)
      size += 1
      while (size > maxSize && oldest) {
        const victim = oldest
        remove(victim)
        evict(victim.client)
      }
    },
    clear: () => {
      const clients: C[] = []
      for (let e = oldest; e; e = e.prev) clients.push(e.client)
      index.clear()
      newest = oldest = undefined
      size = 0
      clients.forEach(evict)
    },
    size: () => size,
  }
}
