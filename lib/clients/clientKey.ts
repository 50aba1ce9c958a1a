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
// if merged over the factory's base config, without building the merged object. Its general
// path compares the merged config itself, as an overlay over an empty base.

const MAX_DEPTH = 16

type Rec = Readonly<Record<string, unknown>>

/** An empty config: the base of a merged config, the config of a `client()` call without one. */
export const NO_CONFIG: Rec = /* @__PURE__ */ Object.freeze({})

/** A merged config as the cache keeps it: its snapshot and how many keys that holds. */
export type StoredConfig = { readonly record: Rec; readonly size: number }

/** A plain object (prototype `Object.prototype` or `null`) or, with `arrays`, a plain array. */
export const isPlainRecord = (v: unknown, arrays = false): v is Rec => {
  if (typeof v !== 'object' || v === null) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null || (arrays && proto === Array.prototype)
}

/** `a` equals `b` under the rules above. */
export const configEquals = (a: unknown, b: unknown, depth = 0): boolean => {
  // NaN is the only value not equal to itself; 0 === -0 already holds.
  // An array's elements are its index keys (its length is not one), and its length settles
  // trailing `undefined` elements. Equal lengths with equal keys also tell an array from an
  // object: the object would need a defined `length` key, which the array's keys lack.
  return (
    a === b ||
    (a !== a && b !== b) ||
    (depth < MAX_DEPTH &&
      isPlainRecord(a, true) &&
      isPlainRecord(b, true) &&
      ((a as { length?: unknown }).length === (b as { length?: unknown }).length ||
        (!Array.isArray(a) && !Array.isArray(b))) &&
      recordEquals(a, b, depth + 1))
  )
}

/** Both objects' keys holding a value other than `undefined` match, in any order. */
export const recordEquals = (a: Rec, b: Rec, depth: number): boolean => {
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

// Stored records inherit from this empty object instead of `Object.prototype`, so that
// `record[k]` is undefined for every key a record does not hold, `constructor` included,
// and a lookup needs no `hasOwn` call (stored values are never undefined). Not
// `Object.create(null)` for the records themselves: V8 keeps such objects in dictionary mode.
const NO_KEYS: Rec = /* @__PURE__ */ Object.freeze(Object.create(null) as Rec)

/**
 * A copy of `v` to compare later configs against: plain objects and arrays are copied (so
 * the caller mutating its config afterwards cannot make a wrong hit), `undefined` keys of
 * objects dropped; everything else is kept by reference, as it is compared by identity.
 * At depth 0, `v` is a whole merged config, and its copy inherits from `NO_KEYS`.
 */
export const snapshot = (v: unknown, depth = 0): unknown => {
  if (depth >= MAX_DEPTH || !isPlainRecord(v, true)) return v
  if (Array.isArray(v)) return v.map((x) => snapshot(x, depth + 1))
  const out = Object.create(depth === 0 ? NO_KEYS : (Object.getPrototypeOf(v) as object | null)) as Record<
    string,
    unknown
  >
  for (const k in v) if (v[k] !== undefined) out[k] = snapshot(v[k], depth + 1)
  return out
}

/** The copy of a merged config that later calls are compared against. */
export const storeConfig = (merged: Rec): StoredConfig => {
  const record = snapshot(merged) as Rec
  return { record, size: Object.keys(record).length }
}

/**
 * `stored` equals the merged config `{ ...base, ...config }` (where a key of `config`
 * holding `undefined` keeps `base`'s value), decided without building that object: the
 * cache-hit path of a factory; with an empty `base`, `stored` equals `config` itself. `config`
 * must be a plain object (`isPlainRecord`). It reads each enumerable key of `config` once, as
 * `Object.assign` does, compares values with `configEquals`, and answers `false` for what it
 * does not model (an inherited enumerable key, more than 31 base keys): a `false` is only a
 * miss, settled on the general path.
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
