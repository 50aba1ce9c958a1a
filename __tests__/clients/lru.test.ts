import { createClientLru } from '../../lib/clients/lru'

class A {}
class B {}

describe('createClientLru', () => {
  it('finds a client by class and an equal config', () => {
    const lru = createClientLru<string>(8, () => undefined)
    lru.add(A, { region: 'r1', x: { y: 1 } }, 'a1')
    lru.add(B, { region: 'r1', x: { y: 1 } }, 'b1')
    expect(lru.find(A, { x: { y: 1 }, region: 'r1' })).toBe('a1')
    expect(lru.find(B, { x: { y: 1 }, region: 'r1' })).toBe('b1')
    expect(lru.find(A, { x: { y: 2 }, region: 'r1' })).toBeUndefined()
    expect(lru.find(A, { x: { y: 1 }, region: 'r2' })).toBeUndefined()
  })

  it('evicts the least recently used entry past maxSize, in recency order', () => {
    const evicted: string[] = []
    const lru = createClientLru<string>(3, (c) => evicted.push(c))
    lru.add(A, { region: '1' }, 'one')
    lru.add(A, { region: '2' }, 'two')
    lru.add(A, { region: '3' }, 'three')
    lru.find(A, { region: '1' })
    lru.add(A, { region: '4' }, 'four')
    lru.find(A, { region: '3' })
    lru.add(A, { region: '5' }, 'five')
    lru.add(A, { region: '6' }, 'six')
    expect(evicted).toEqual(['two', 'one', 'four'])
    expect(lru.size()).toBe(3)
    expect(lru.find(A, { region: '2' })).toBeUndefined()
    expect(lru.find(A, { region: '3' })).toBe('three')
  })

  it('clear() evicts every entry, least recently used first, and empties the index', () => {
    const evicted: string[] = []
    const lru = createClientLru<string>(8, (c) => evicted.push(c))
    lru.add(A, {}, 'a')
    lru.add(B, {}, 'b')
    lru.find(A, {})
    lru.clear()
    expect(evicted).toEqual(['b', 'a'])
    expect(lru.size()).toBe(0)
    expect(lru.find(A, {})).toBeUndefined()
  })

  it('ignores what onEvict throws', () => {
    const lru = createClientLru<string>(1, () => {
      throw new Error('destroy failed')
    })
    lru.add(A, { region: '1' }, 'one')
    expect(() => lru.add(A, { region: '2' }, 'two')).not.toThrow()
    expect(lru.find(A, { region: '2' })).toBe('two')
  })
})
