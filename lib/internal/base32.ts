// RFC 4648 base32 for TOTP secrets, apart from otplib so that checking a secret at
// construction does not load otplib (it loads at the first code).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * RFC 4648 base32 (no padding needed); throws on other characters.
 * @internal
 */
export const decodeBase32 = (text: string): Uint8Array => {
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

/**
 * RFC 4648 base32, no padding.
 * @internal
 */
export const encodeBase32 = (bytes: Uint8Array): string => {
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

/**
 * Secret lengths accepted: 80 bits (16 base32 characters, the RFC 4226 minimum most
 * authenticator apps accept and most examples use) to 512 bits. otplib's default
 * floor of 128 bits would refuse the former at every call.
 * @internal
 */
export const SECRET_BYTES = { min: 10, max: 64 } as const

/**
 * True when `secret` decodes as base32 to a length within {@link SECRET_BYTES}.
 * @internal
 */
export const isBase32Secret = (secret: string): boolean => {
  try {
    const bytes = decodeBase32(secret).length
    return bytes >= SECRET_BYTES.min && bytes <= SECRET_BYTES.max
  } catch {
    return false
  }
}
