import { defined } from '../../lib/internal/defined'

describe('defined', () => {
  it('drops undefined entries and keeps falsy values', () => {
    const out = defined({ a: 1, b: undefined, c: 0, d: '', e: null, f: false })
    expect(out).toEqual({ a: 1, c: 0, d: '', e: null, f: false })
    expect('b' in out).toBe(false)
  })
})
