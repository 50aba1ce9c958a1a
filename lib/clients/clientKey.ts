// When two client configs are "equal": the factory hands out the same client for them.
//
// Rules: plain objects (prototype `Object.prototype` or `null`) compare by content, key
// order ignored; plain arrays element by element; a key holding `undefined` is the same as
// a missing key; primitives by value (`0` equals `-0`, `NaN` equals `NaN`); functions,
// symbols and every other object (class instances, Date, Map, URL, a request handler) by
// identity. Symbol-keyed properties are not compared. Objects nested deeper than
// MAX_DEPTH compare by identity: a miss at worst, never a wrong hit.
//
// Configs are compared directly rather than encoded to a string key: a cache hit then
// allocates nothing and costs a few property reads instead of building and hashing a string.
// A factory's hit path goes one step further: `overlayEquals` compares the call's config as
// if merged over the factory's base config, without building the merged object.

const MAX_DEPTH = 16

type Rec = Readonly<Record<string, unknown>>

/** A merged config as the cache keeps it: its snapshot and how many keys that holds. */
export type StoredConfig = { readonly record: Rec; readonly size: number }

/** A plain object: prototype `Object.prototype` or `null`. */
export const isPlainRecord = (v: object): v is Rec => {
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

const isPlainArray = (v: object): v is readonly unknown[] => Object.getPrototypeOf(v) === Array.prototype

/** `a` equals `b` under the rules above. */
export const configEquals = (a: unknown, b: unknown, depth = 0): boolean => {
  // NaN is the only value not equal to itself; 0 === -0 already holds.
  if (a === b || (a !== a && b !== b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth >= MAX_DEPTH) return false
  if (isPlainArray(a)) return isPlainArray(b) && arrayEquals(a, b, depth + 1)
  return isPlainRecord(a) && isPlainRecord(b) && recordEquals(a, b, depth + 1)
}

const arrayEquals = (a: readonly unknown[], b: readonly unknown[], depth: number): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!configEquals(a[i], b[i], depth)) return false
  return true
}

/** Both objects' keys holding a value other than `undefined` match, in any order. */
export const recordEquals = (a: Rec, b: Rec, depth = 0): boolean => {
  let defined = 0
  for (const k in a) {
    const v = a[k]
    if (v === undefined) continue
    defined += 1
    if (!Object.hasOwn(b, k) || !configEquals(v, b[k], depth)) return false
  }
  for (const k in b) if (b[k] !== undefined) defined -= 1
  return defined === 0
}

/**
 * A copy of `v` to compare later configs against: plain objects and arrays are copied (so
 * the caller mutating its config afterwards cannot make a wrong hit), `undefined` keys
 * dropped; everything else is kept by reference, as it is compared by identity.
 */
export const snapshot = (v: unknown, depth = 0): unknown => {
  if (typeof v !== 'object' || v === null || depth >= MAX_DEPTH) return v
  if (isPlainArray(v)) return v.map((x) => snapshot(x, depth + 1))
  if (!isPlainRecord(v)) return v
  const out: Record<string, unknown> =
    Object.getPrototypeOf(v) === null ? (Object.create(null) as Record<string, unknown>) : {}
  for (const k in v) if (v[k] !== undefined) out[k] = snapshot(v[k], depth + 1)
  return out
}

/**
 * The bucket a config's client is filed under: its region when that is a string, so that
 * a lookup compares only the configs of one region. Any other region (a provider function,
 * none) shares one bucket; equality still decides.
 */
export const bucketOf = (config: Rec): string | undefined => {
  const region = config['region']
  return typeof region === 'string' ? region : undefined
}

// Stored records inherit from this empty object instead of `Object.prototype`, so that
// `record[k]` is undefined for every key a record does not hold, `constructor` included,
// and a lookup needs no `hasOwn` call (stored values are never undefined).
const NO_KEYS: Rec = /* @__PURE__ */ Object.freeze(Object.create(null) as Rec)

/** The copy of a merged config that later calls are compared against. */
export const storeConfig = (merged: Rec): StoredConfig => {
  const record = Object.create(NO_KEYS) as Record<string, unknown>
  let size = 0
  for (const k in merged) {
    const v = merged[k]
    if (v === undefined) continue
    record[k] = snapshot(v, 1)
    size += 1
  }
  return { record, size }
}

/** `stored` equals the merged config `merged` (the general rules above, at any depth). */
export const storedEquals = (stored: StoredConfig, merged: Rec): boolean =>
  isPlainRecord(merged) && recordEquals(stored.record, merged, 1)

/**
 * `stored` equals the merged config `{ ...base, ...config }` (where a key of `config`
 * holding `undefined` keeps `base`'s value), decided without building that object: the
 * cache-hit path of a factory. `config` must be a plain object (`isPlainRecord`). It reads
 * each enumerable key of `config` once, as `Object.assign` does, compares values with
 * `configEquals`, and answers `false` for what it does not model (an inherited enumerable
 * key, more than 31 base keys): a `false` is only a miss, settled on the general path.
 */
export const overlayEquals = (stored: StoredConfig, base: Rec, baseKeys: readonly string[], config: Rec): boolean => {
  const record = stored.record
  if (baseKeys.length > 31) return false
  let n = 0
  let shadowed = 0 // bit j: baseKeys[j] is given by config
  for (const k in config) {
    const v = config[k]
    if (v === undefined) continue
    // In a for-in loop V8 reduces this call to a map check; Object.hasOwn stays a call.
    if (!Object.prototype.hasOwnProperty.call(config, k) || !configEquals(record[k], v, 1)) return false
    for (let j = 0; j < baseKeys.length; j++) if (baseKeys[j] === k) shadowed |= 1 << j
    n += 1
  }
  for (let j = 0; j < baseKeys.length; j++) {
    if (shadowed & (1 << j)) continue
    const k = baseKeys[j] as string
    if (!configEquals(record[k], base[k], 1)) return false
    n += 1
  }
  // n distinct keys of `record` matched; as many as it holds means none is left unmatched.
  return n === stored.size
}

/** `bucketOf` the merged config of `base` and `config`, read without merging (a wrong guess is only a miss). */
export const overlayBucket = (base: Rec, config: Rec): string | undefined => {
  const region = config['region'] === undefined ? base['region'] : config['region']
  return typeof region === 'string' ? region : undefined
}
