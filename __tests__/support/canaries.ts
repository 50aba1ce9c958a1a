/**
 * Secret canaries. Every test file runs with them (see canarySetup.ts): the emulators'
 * default base secret key and MFA secret carry the marker, and so do the passphrases,
 * PINs and tokens that tests pass in. The marker must never appear in an error message,
 * an event, a log line or CLI output.
 */
export const CANARY_MARKER = 'CANARY'

/** A long-term secret access key for emulator base users. */
export const canarySecretAccessKey = (): string =>
  `${CANARY_MARKER}base${Math.random().toString(36).slice(2).padEnd(30, '0')}`

/** A base32 TOTP secret (20 bytes) that holds the marker. */
export const CANARY_MFA_SECRET = 'CANARYCANARYCANARYMFASECRETAAAAA'

/** Where the marker appears in `text`, or undefined. */
export const findCanary = (text: string): string | undefined => {
  const at = text.indexOf(CANARY_MARKER)
  return at < 0 ? undefined : text.slice(Math.max(0, at - 60), at + 40).replace(/\s+/g, ' ')
}
