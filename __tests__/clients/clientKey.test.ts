import fc from 'fast-check'
import { mergeConfig } from '../../lib/clients/cacheConfig'
import { configEquals, NO_CONFIG, overlayEquals, snapshot, storeConfig } from '../../lib/clients/clientKey'

type Rec = Readonly<Record<string, unknown>>

/** The factory's general path: the merged config itself, as an overlay over an empty base. */
const storedEquals = (stored: ReturnType<typeof storeConfig>, merged: Rec): boolean =>
  overlayEquals(stored, NO_CONFIG, [], merged)

describe('configEquals', () => {
  it('ignores the key order of plain objects', () => {
    expect(configEquals({ a: 1, b: 'x', c: true }, { c: true, b: 'x', a: 1 })).toBe(true)
  })

  it('compares nested plain objects and arrays by content', () => {
    expect(configEquals({ h: { t: 1, u: [1, { v: 2 }] } }, { h: { u: [1, { v: 2 }], t: 1 } })).toBe(true)
    expect(configEquals({ h: { t: 1, u: [1, { v: 2 }] } }, { h: { u: [1, { v: 3 }], t: 1 } })).toBe(false)
    expect(configEquals({ a: [1, 2] }, { a: [2, 1] })).toBe(false)
    expect(configEquals({ a: [1] }, { a: { 0: 1 } })).toBe(false)
    expect(configEquals({ a: { 0: 1 } }, { a: [1] })).toBe(false)
    expect(configEquals({ a: [1] }, { a: { 0: 1, length: 1 } })).toBe(false)
    expect(configEquals({ a: [1, undefined] }, { a: [1] })).toBe(false)
    expect(configEquals({ a: [1, undefined] }, { a: [1, undefined] })).toBe(true)
    expect(configEquals({ length: { n: 1 } }, { length: { n: 1 } })).toBe(true)
  })

  it('compares functions, symbols and class instances by identity', () => {
    const f = (): number => 1
    const s = Symbol('s')
    const d = new Date(0)
    expect(configEquals({ f, s, d }, { f, s, d })).toBe(true)
    expect(configEquals({ f }, { f: (): number => 1 })).toBe(false)
    expect(configEquals({ s }, { s: Symbol('s') })).toBe(false)
    expect(configEquals({ d }, { d: new Date(0) })).toBe(false)
    class Handler {
      readonly timeout = 1
    }
    expect(configEquals({ h: new Handler() }, { h: new Handler() })).toBe(false)
  })

  it('treats a key holding undefined as missing', () => {
    expect(configEquals({ a: 1, b: undefined }, { a: 1 })).toBe(true)
    expect(configEquals({ a: 1 }, { a: 1, b: undefined })).toBe(true)
    expect(configEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(configEquals({ a: 1, b: 2 }, { a: 1 })).toBe(false)
  })

  it('compares primitives by value, with NaN equal to NaN and 0 equal to -0', () => {
    expect(configEquals({ n: NaN, z: 0 }, { n: NaN, z: -0 })).toBe(true)
    expect(configEquals({ n: 1 }, { n: '1' })).toBe(false)
    expect(configEquals({ a: null }, { a: undefined })).toBe(false)
  })

  it('compares null-prototype objects by content', () => {
    const a = Object.assign(Object.create(null) as Record<string, unknown>, { x: 1 })
    expect(configEquals(a, { x: 1 })).toBe(true)
  })

  it('falls back to identity for objects nested too deep, never a wrong hit', () => {
    const deep = (n: number): Record<string, unknown> => (n === 0 ? { leaf: 1 } : { next: deep(n - 1) })
    expect(configEquals(deep(3), deep(3))).toBe(true)
    expect(configEquals(deep(40), deep(40))).toBe(false)
  })
})

describe('snapshot', () => {
  it('copies plain objects and arrays, drops undefined keys and keeps instances by reference', () => {
    const handler = new Map()
    const config = { a: { b: [1, { c: 2 }] }, u: undefined, handler }
    const copy = snapshot(config, 1) as typeof config
    expect(copy).toStrictEqual({ a: { b: [1, { c: 2 }] }, handler })
    expect(copy.a).not.toBe(config.a)
    expect(copy.handler).toBe(handler)
    config.a.b.push(3)
    expect(configEquals(copy, config)).toBe(false)
  })
})

describe('storeConfig', () => {
  it('keeps a snapshot without undefined keys, its key count, and no inherited names', () => {
    const stored = storeConfig({ region: 'r', a: { b: 1 }, u: undefined })
    expect(stored.size).toBe(2)
    expect({ ...stored.record }).toStrictEqual({ region: 'r', a: { b: 1 } })
    expect(stored.record['constructor']).toBeUndefined()
    expect(storedEquals(stored, { a: { b: 1 }, region: 'r' })).toBe(true)
    expect(storedEquals(stored, { a: { b: 2 }, region: 'r' })).toBe(false)
  })
})

describe('overlayEquals', () => {
  // The hit path must decide as an exact comparison of the merged config does (configEquals
  // on a plain copy of the stored record), and so must the factory's general path.
  const general = (stored: ReturnType<typeof storeConfig>, base: Rec, config: Rec): boolean => {
    const merged = mergeConfig(base, config)
    const exact = configEquals({ ...stored.record }, merged)
    expect(storedEquals(stored, merged)).toBe(exact)
    return exact
  }
  const overlay = (stored: ReturnType<typeof storeConfig>, base: Rec, config: Rec): boolean =>
    overlayEquals(stored, base, Object.keys(base), config)
  const store = (base: Rec, config: Rec): ReturnType<typeof storeConfig> => storeConfig(mergeConfig(base, config))

  const handlers = [{ handle: 1 }, { handle: 1 }].map((o) =>
    Object.freeze(Object.setPrototypeOf(o, { kind: 'Handler' })),
  )
  const fn = (): number => 1
  const value = fc.oneof(
    fc.constantFrom<unknown>('eu-west-1', 'us-east-1', 3, 0, -0, NaN, true, null, fn, handlers[0], handlers[1]),
    // Fresh plain objects and arrays on every draw: equal by content, never by identity.
    fc.constantFrom(1, 2).map((t) => ({ t })),
    fc.constantFrom(1, 2).map((t) => [t, 'x']),
  )
  const keys = ['region', 'maxAttempts', 'requestHandler', 'x']
  // Entries in a random order, so that equal configs come in different key orders.
  const record = (v: fc.Arbitrary<unknown>): fc.Arbitrary<Rec> =>
    fc
      .array(fc.tuple(fc.constantFrom(...keys), v), { maxLength: 5 })
      .map((entries) => Object.fromEntries(entries) as Rec)
  const base = record(value)
  const config = record(fc.oneof(value, fc.constant(undefined)))

  it('decides as the general path on the merged config, for random flat configs over random bases', () => {
    let hits = 0
    fc.assert(
      fc.property(base, config, config, (b, stored, given) => {
        const s = store(b, stored)
        const hit = overlay(s, b, given)
        hits += hit ? 1 : 0
        // The config a client was stored under always finds it again.
        return hit === general(s, b, given) && overlay(s, b, stored)
      }),
      { numRuns: 1_000 },
    )
    // Enough equal pairs were drawn for the hit branch to be exercised, not only misses.
    expect(hits).toBeGreaterThan(50)
  })

  it('keeps the base value under a key the config holds as undefined or not enumerable', () => {
    const b = { region: 'eu-west-1' }
    const s = store(b, { maxAttempts: 3 })
    expect(overlay(s, b, { region: undefined, maxAttempts: 3 })).toBe(true)
    const hidden = Object.defineProperty({ maxAttempts: 3 }, 'region', { value: 'us-east-1', enumerable: false })
    expect(general(s, b, hidden)).toBe(true)
    expect(overlay(s, b, hidden)).toBe(true)
    expect(overlay(store(b, { region: 'us-east-1', maxAttempts: 3 }), b, hidden)).toBe(false)
  })

  it('ignores symbol keys, and never takes a name that Object.prototype holds for a stored key', () => {
    const b = { region: 'eu-west-1' }
    const s = store(b, {})
    const toString: unknown = Reflect.get(Object.prototype, 'toString')
    expect(overlay(s, b, { [Symbol('s')]: 1 })).toBe(true)
    expect(overlay(s, b, { constructor: Object })).toBe(false)
    expect(overlay(s, b, { toString })).toBe(false)
    expect(overlay(store(b, { x: 1 }), b, { toString })).toBe(false)
    expect(overlay(store(b, { constructor: Object }), b, { constructor: Object })).toBe(true)
  })

  it('decides as the general path when Object.prototype has an enumerable key', () => {
    const b = { region: 'eu-west-1' }
    let answers: boolean[]
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true })
    try {
      const s = store(b, {})
      answers = [overlay(s, b, {}), general(s, b, {})]
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted']
    }
    expect(answers).toEqual([false, false])
  })

  it('reads each key of the config once, as Object.assign does', () => {
    let reads = 0
    const given = Object.defineProperty({}, 'region', {
      enumerable: true,
      get: () => {
        reads += 1
        return reads === 1 ? 'us-east-1' : undefined
      },
    })
    const b = { region: 'eu-west-1' }
    expect(overlay(store(b, { region: 'us-east-1' }), b, given)).toBe(true)
    expect(reads).toBe(1)
  })

  it('answers a miss, never a hit, for what it does not model: more than 31 base keys', () => {
    const b = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, i]))
    const s = store(b, {})
    expect(general(s, b, {})).toBe(true)
    expect(overlay(s, b, {})).toBe(false)
  })
})
