import { createHmac } from 'node:crypto'
import { totp } from '../../lib/mfa/totp'

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last 6 of the 8 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

const clock = (startMs: number) => {
  let t = startMs
  const sleeps: number[] = []
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      t += ms
    },
    advance: (ms: number) => void (t += ms),
    sleeps,
  }
}

describe('totp', () => {
  it.each([
    [59_000, '287082'],
    [1_111_111_109_000, '081804'],
    [1_234_567_890_000, '005924'],
    [2_000_000_000_000, '279037'],
  ])('computes the RFC 6238 code at %d ms', async (at, code) => {
    const c = clock(at)
    await expect(totp(RFC_SECRET, c)('serial')).resolves.toBe(code)
  })

  it('never returns the same code twice: asked again within one step, it waits for the next step', async () => {
    const c = clock(1_000_000_010_000)
    const next = totp(RFC_SECRET, c)
    const first = await next('serial')
    c.advance(5_000)
    const second = await next('serial')
    expect(second).not.toBe(first)
    expect(c.sleeps).toEqual([5_000])
  })

  it('serves concurrent calls one step apart', async () => {
    const c = clock(1_000_000_000_000)
    const next = totp(RFC_SECRET, c)
    const [a, b] = await Promise.all([next('s'), next('s')])
    expect(a).not.toBe(b)
    expect(c.sleeps).toEqual([20_000])
  })

  it('accepts lower case and spaced secrets and rejects a non-base32 secret at construction without echoing it', () => {
    expect(() => totp('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).not.toThrow()
    expect(() => totp('CANARY-not!base32')).toThrow(
      expect.objectContaining({
        code: 'InvalidConfiguration',
        source: 'totp',
        message: expect.not.stringContaining('CANARY'),
      }),
    )
  })

  it.each([0, -1, Number.NaN, 1.5, Infinity, '30'])(
    'rejects periodSeconds %p at construction with InvalidConfiguration',
    (periodSeconds) => {
      expect(() => totp(RFC_SECRET, { periodSeconds: periodSeconds as number })).toThrow(
        expect.objectContaining({
          code: 'InvalidConfiguration',
          source: 'totp',
          message: expect.stringContaining('periodSeconds'),
        }),
      )
    },
  )

  it.each(['now', 'sleep'])('rejects a %s that is not a function at construction with InvalidConfiguration', (key) => {
    expect(() => totp(RFC_SECRET, { [key]: 5 })).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining(key) }),
    )
  })

  it('accepts an 80-bit secret (16 base32 characters, what most examples and authenticators use) and computes its RFC 6238 code', async () => {
    // The reference computation, RFC 4226 section 5.3, on the key bytes of 'JBSWY3DPEHPK3PXP' ("Hello!\xde\xad\xbe\xef").
    const key = Buffer.from('48656c6c6f21deadbeef', 'hex')
    const at = 1_700_000_000_000
    const counter = Buffer.alloc(8)
    counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)))
    const mac = createHmac('sha1', key).update(counter).digest()
    const offset = mac[mac.length - 1]! & 15
    const expected = String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0')
    await expect(totp('JBSWY3DPEHPK3PXP', { now: () => at })('serial')).resolves.toBe(expected)
  })

  it.each([
    ['shorter than 80 bits', 'JBSWY3DPEHPK3PX'],
    ['longer than 512 bits', 'A'.repeat(104)],
    ['empty', ''],
  ])('rejects a secret %s at construction, never at call time', (_, secret) => {
    expect(() => totp(secret)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration', source: 'totp' }))
  })
})
