// Anything that looks like key material (long runs of base64/hex characters, PEM blocks,
// six-digit codes) is masked before a foreign message is copied into one of ours.
const PEM = /-----BEGIN [^-]+-----[\s\S]*?(-----END [^-]+-----|$)/g
const LONG_TOKEN = /[A-Za-z0-9/+=_-]{16,}/g
// A file path or a word is no secret; a long run holding a digit, or a very long one, may be.
const looksSecret = (run: string): boolean => run.length >= 32 || /\d/.test(run)
const SIX_DIGITS = /(?<!\d)\d{6}(?!\d)/g
const MAX_LENGTH = 300

/** Masks secret-looking parts of a message from outside this library and bounds its length. */
export const redact = (message: string): string => {
  const masked = message.replace(PEM, '[PEM]').replace(LONG_TOKEN, (run) => (looksSecret(run) ? '***' : run)).replace(SIX_DIGITS, '******')
  return masked.length > MAX_LENGTH ? `${masked.slice(0, MAX_LENGTH)}…` : masked
}

/** A short, safe description of any thrown value: its name and redacted message. */
export const describeError = (e: unknown): string => {
  if (e instanceof Error) return e.message ? `${e.name}: ${redact(e.message)}` : e.name
  return typeof e === 'string' ? redact(e) : typeof e
}
