import { bucketOf, configEquals, snapshot } from '../../lib/clients/clientKey'

describe('configEquals', () => {
  it('ignores the key order of plain objects', () => {
    expect(configEquals({ a: 1, b: 'x', c: true }, { c: true, b: 'x', a: 1 })).toBe(true)
  })

  it('compares nested plain objects and arrays by content', () => {
    expect(configEquals({ h: { t: 1, u: [1, { v: 2 }] } }, { h: { u: [1, { v: 2 }], t: 1 } })).toBe(true)
    expect(configEquals({ h: { t: 1, u: [1, { v: 2 }] } }, { h: { u: [1, { v: 3 }], t: 1 } })).toBe(false)
    expect(configEquals({ a: [1, 2] }, { a: [2, 1] })).toBe(false)
    expect(configEquals({ a: [1] }, { a: { 0: 1 } })).toBe(false)
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
    const copy = snapshot(config) as typeof config
    expect(copy).toStrictEqual({ a: { b: [1, { c: 2 }] }, handler })
    expect(copy.a).not.toBe(config.a)
    expect(copy.handler).toBe(handler)
    config.a.b.push(3)
    expect(configEquals(copy, config)).toBe(false)
  })
})

describe('bucketOf', () => {
  it('files a config under its region when it is a string, and every other config together', () => {
    expect(bucketOf({ region: 'eu-west-1' })).toBe('eu-west-1')
    expect(bucketOf({ region: async () => 'eu-west-1' })).toBeUndefined()
    expect(bucketOf({})).toBeUndefined()
  })
})
