import { createHmac, randomBytes } from 'node:crypto'
import { createBase32Plugin, createCryptoPlugin, createGuardrails } from '@otplib/core'
import { generateSync, verifySync } from '@otplib/totp'

// otplib's own packages, with node:crypto plugins instead of its defaults: the `otplib`
// root loads @noble/hashes and @scure/base, which are ESM-only and cannot be required
// from CommonJS on Node < 20.19 (nor under Jest 30 on Node 20).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32 (no padding needed); throws on other characters. */
const decodeBase32 = (text: string): Uint8Array => {
  const clean = text.replace(/=+$/, '').toUpperCase()
  const out: number[] = []
  let bits = 0
  let value = 0
  for (const ch of clean) {
    const index = ALPHABET.indexOf(ch)
    if (index < 0) throw new Error('not base32')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Uint8Array.from(out)
}

const encodeBase32 = (bytes: Uint8Array): string => {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  return bits > 0 ? out + ALPHABET[(value << (5 - bits)) & 31] : out
}

const crypto = createCryptoPlugin({
  name: 'node',
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
})
const base32 = createBase32Plugin({ name: 'rfc4648', encode: encodeBase32, decode: decodeBase32 })

/**
 * Secret lengths accepted: 80 bits (16 base32 characters, the RFC 4226 minimum most
 * authenticator apps accept and most examples use) to 512 bits. otplib's default
 * floor of 128 bits would refuse the former at every call.
 */
export const SECRET_BYTES = { min: 10, max: 64 } as const
const guardrails = createGuardrails({ MIN_SECRET_BYTES: SECRET_BYTES.min, MAX_SECRET_BYTES: SECRET_BYTES.max })

/** The 6-digit TOTP (SHA-1, `periodSeconds`) of a base32 secret at `epochSeconds`. */
export const totpCode = (secret: string, epochSeconds: number, periodSeconds = 30): string =>
  generateSync({ secret, epoch: epochSeconds, period: periodSeconds, crypto, base32, guardrails })

/** Whether `token` is the TOTP (`periodSeconds` steps) of `secret` within ±`toleranceSeconds` of `epochSeconds`. */
export const verifyTotp = (secret: string, token: string, epochSeconds: number, toleranceSeconds: number, periodSeconds = 30): boolean =>
  verifySync({ secret, token, epoch: epochSeconds, epochTolerance: toleranceSeconds, period: periodSeconds, crypto, base32, guardrails }).valid

/** A new random base32 secret of 20 bytes (what AWS virtual MFA devices use). */
export const newTotpSecret = (): string => encodeBase32(randomBytes(20))

/** True when `secret` decodes as base32 to a length within {@link SECRET_BYTES}. */
export const isBase32Secret = (secret: string): boolean => {
  try {
    const bytes = decodeBase32(secret).length
    return bytes >= SECRET_BYTES.min && bytes <= SECRET_BYTES.max
  } catch {
    return false
  }
}
