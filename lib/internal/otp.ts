import { createHmac, randomBytes } from 'node:crypto'
import { createBase32Plugin, createCryptoPlugin, createGuardrails } from '@otplib/core'
import { generateSync, verifySync } from '@otplib/totp'
import { SECRET_BYTES, decodeBase32, encodeBase32 } from './base32.js'

export { SECRET_BYTES, isBase32Secret } from './base32.js'

// otplib's own packages, with node:crypto plugins instead of its defaults: the `otplib`
// root loads @noble/hashes and @scure/base, which are ESM-only and cannot be required
// from CommonJS on Node < 20.19 (nor under Jest 30 on Node 20).

const crypto = createCryptoPlugin({
  name: 'node',
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
})
const base32 = createBase32Plugin({ name: 'rfc4648', encode: encodeBase32, decode: decodeBase32 })

const guardrails = createGuardrails({ MIN_SECRET_BYTES: SECRET_BYTES.min, MAX_SECRET_BYTES: SECRET_BYTES.max })

/**
 * The 6-digit TOTP (SHA-1, `periodSeconds`) of a base32 secret at `epochSeconds`.
 * @internal
 */
export const totpCode = (secret: string, epochSeconds: number, periodSeconds = 30): string =>
  generateSync({ secret, epoch: epochSeconds, period: periodSeconds, crypto, base32, guardrails })

/**
 * Whether `token` is the TOTP (`periodSeconds` steps) of `secret` within ±`toleranceSeconds` of `epochSeconds`.
 * @internal
 */
export const verifyTotp = (
  secret: string,
  token: string,
  epochSeconds: number,
  toleranceSeconds: number,
  periodSeconds = 30,
): boolean =>
  verifySync({
    secret,
    token,
    epoch: epochSeconds,
    epochTolerance: toleranceSeconds,
    period: periodSeconds,
    crypto,
    base32,
    guardrails,
  }).valid

/**
 * A new random base32 secret of 20 bytes (what AWS virtual MFA devices use).
 * @internal
 */
export const newTotpSecret = (): string => encodeBase32(randomBytes(20))
