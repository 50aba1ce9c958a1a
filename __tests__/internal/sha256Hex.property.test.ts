// The plain-code SHA-256 of the CLI's cache hit gives the digest of node:crypto for any input:
// entry names computed by the hit and by the writer must never differ.
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { sha256Hex } from '../../lib/internal/sha256Hex'

const reference = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex')

/** Lengths where the padding changes shape: the length field fits in the last block or spills into one more. */
const BOUNDARIES = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096]

describe('sha256Hex', () => {
  it('gives the known digests of the empty message and "abc"', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('equals node:crypto at every padding boundary, for zero bytes and for random bytes', () => {
    for (const n of BOUNDARIES) {
      expect(sha256Hex(new Uint8Array(n))).toBe(reference(new Uint8Array(n)))
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff)
      expect(sha256Hex(bytes)).toBe(reference(bytes))
    }
  })

  it('equals node:crypto for random bytes of one to several blocks', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.constantFrom(...BOUNDARIES).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        ),
        (bytes) => sha256Hex(bytes) === reference(bytes),
      ),
      { numRuns: 300 },
    )
  })

  it('hashes a string as its UTF-8 bytes, as node:crypto does (astral characters and lone surrogates too)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => sha256Hex(text) === reference(text)),
      { numRuns: 300 },
    )
    expect(sha256Hex('\ud800é😀')).toBe(reference('\ud800é😀'))
  })

  it('hashes a Buffer like the Uint8Array it is', () => {
    const buffer = Buffer.from('{"Version":1}\n'.repeat(10))
    expect(sha256Hex(buffer)).toBe(reference(buffer))
  })
})
