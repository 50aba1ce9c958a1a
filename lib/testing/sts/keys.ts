import { randomBytes } from 'node:crypto'
import type { KnownKey } from './types.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** A random id like AWS's: prefix + 16 upper-case base32 characters. */
export const randomId = (prefix: string): string =>
  prefix + Array.from(randomBytes(16), (b) => ALPHABET[b % 32]).join('')

/** A random 40-character secret access key. */
export const randomSecret = (): string => randomBytes(30).toString('base64').replace(/[+/]/g, 'x')

/** A random opaque session token. */
export const randomSessionToken = (): string => 'FwoGZXIvYXdzE' + randomBytes(96).toString('base64')

/** The keys one emulator knows: its base user's and every session key it issued. */
export type KeyStore = {
  readonly lookup: (accessKeyId: string) => KnownKey | undefined
  readonly issue: (identity: Pick<KnownKey, 'arn' | 'roleArn' | 'userId'>, expiresAt: number) => KnownKey
}

/** A key store seeded with the base user's long-term key. */
export const createKeyStore = (base: KnownKey): KeyStore => {
  const keys = new Map<string, KnownKey>([[base.accessKeyId, base]])
  return {
    lookup: (id) => keys.get(id),
    issue: (identity, expiresAt) => {
      const key: KnownKey = {
        ...identity,
        accessKeyId: randomId('ASIA'),
        secretAccessKey: randomSecret(),
        sessionToken: randomSessionToken(),
        expiresAt,
      }
      keys.set(key.accessKeyId, key)
      return key
    },
  }
}
