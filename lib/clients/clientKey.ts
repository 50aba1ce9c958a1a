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

const MAX_DEPTH = 16

type Rec = Readonly<Record<string, unknown>>

const isPlainRecord = (v: object): v is Rec => {
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
