import { NO_CONFIG } from '../../lib/clients/clientKey'
import { type ClientLru, createClientLru } from '../../lib/clients/lru'

class A {}
class B {}
const noop = (): void => undefined

// A lookup on the general path: a merged config, over an empty base.
const find = <C>(lru: ClientLru<C>, ClientClass: object, config: Readonly<Record<string, unknown>>): C | undefined =>
  lru.find(ClientClass, NO_CONFIG, [], config)

describe('createClientLru', () => {
  it('finds a client by class and an equal config', () => {
    const lru = createClientLru<string>(8)
    lru.add(A, { region: 'r1', x: { y: 1 } }, 'a1', noop)
    lru.add(B, { region: 'r1', x: { y: 1 } }, 'b1', noop)
    expect(find(lru, A, { x: { y: 1 }, region: 'r1' })).toBe('a1')
    expect(find(lru, B, { x: { y: 1 }, region: 'r1' })).toBe('b1')
    expect(find(lru, A, { x: { y: 2 }, region: 'r1' })).toBeUndefined()
    expect(find(lru, A, { x: { y: 1 }, region: 'r2' })).toBeUndefined()
  })

  it('evicts the least recently used entry past maxSize, in recency order', () => {
    const evicted: string[] = []
    const lru = createClientLru<string>(3)
    const onEvict = (c: string): number => evicted.push(c)
    lru.add(A, { region: '1' }, 'one', () => onEvict('one'))
    lru.add(A, { region: '2' }, 'two', () => onEvict('two'))
    lru.add(A, { region: '3' }, 'three', () => onEvict('three'))
    find(lru, A, { region: '1' })
    lru.add(A, { region: '4' }, 'four', () => onEvict('four'))
    find(lru, A, { region: '3' })
    lru.add(A, { region: '5' }, 'five', () => onEvict('five'))
    lru.add(A, { region: '6' }, 'six', () => onEvict('six'))
    expect(evicted).toEqual(['two', 'one', 'four'])
    expect(lru.size()).toBe(3)
    expect(find(lru, A, { region: '2' })).toBeUndefined()
    expect(find(lru, A, { region: '3' })).toBe('three')
  })

  it('clear() evicts every entry, least recently used first, and empties the index', () => {
    const evicted: string[] = []
    const lru = createClientLru<string>(8)
    const onEvict = (c: string): number => evicted.push(c)
    lru.add(A, {}, 'a', () => onEvict('a'))
    lru.add(B, {}, 'b', () => onEvict('b'))
    find(lru, A, {})
    lru.clear()
    expect(evicted).toEqual(['b', 'a'])
    expect(lru.size()).toBe(0)
    expect(find(lru, A, {})).toBeUndefined()
  })

  it('finds a config merged over a base as the merged config itself', () => {
    const lru = createClientLru<string>(8)
    lru.add(A, { region: 'r1', x: 1 }, 'a', noop)
    const base = { region: 'r1' }
    expect(lru.find(A, base, ['region'], { x: 1 })).toBe('a')
    expect(lru.find(A, base, ['region'], { x: 1, region: 'r2' })).toBeUndefined()
    expect(lru.find(B, base, ['region'], { x: 1 })).toBeUndefined()
  })

  it('finds a client whose region is a provider function by that function, and no other', () => {
    const lru = createClientLru<string>(8)
    const region = async (): Promise<string> => 'r1'
    lru.add(A, { region }, 'a', noop)
    lru.add(A, { x: 1 }, 'b', noop)
    expect(find(lru, A, { region })).toBe('a')
    expect(lru.find(A, { region }, ['region'], {})).toBe('a')
    expect(find(lru, A, { region: async () => 'r1' })).toBeUndefined()
    expect(find(lru, A, { x: 1 })).toBe('b')
    expect(find(lru, A, { x: 1, region: undefined })).toBe('b')
  })
})
