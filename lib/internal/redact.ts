// Anything that looks like key material (long runs of base64/hex characters, PEM blocks,
// six-digit codes) is masked before a foreign message is copied into one of ours.
const PEM = /-----BEGIN [^-]+-----[\s\S]*?(-----END [^-]+-----|$)/g
const LONG_TOKEN = /[A-Za-z0-9/+=_-]{16,}/g
// A file path or a word is no secret; a long run holding a digit, or a very long one, may be.
const looksSecret = (run: string): boolean => run.length >= 32 || /\d/.test(run)
const SIX_DIGITS = /(?<!\d)\d{6}(?!\d)/g
const MAX_LENGTH = 300

/**
 * Masks secret-looking parts of a message from outside this library and bounds its length.
 * @internal
 */
export const redact = (message: string): string => {
  const masked = message
    .replace(PEM, '[PEM]')
    .replace(LONG_TOKEN, (run) => (looksSecret(run) ? '***' : run))
    .replace(SIX_DIGITS, '******')
  return masked.length > MAX_LENGTH ? `${masked.slice(0, MAX_LENGTH)}…` : masked
}

/**
 * A short, safe description of any thrown value: its name and redacted message.
 * @internal
 */
export const describeError = (e: unknown): string => {
  if (e instanceof Error) return e.message ? `${e.name}: ${redact(e.message)}` : e.name
  return typeof e === 'string' ? redact(e) : typeof e
}

/** Fields of a foreign error that hold no secret and say what went wrong; copied as they are when primitive. */
const SAFE_FIELDS = ['code', 'errno', 'syscall', '$fault', 'statusCode', 'Code', 'Type', 'exitCode', 'signal'] as const
const MAX_DEPTH = 8

const safeMetadata = (m: unknown): unknown => {
  if (typeof m !== 'object' || m === null) return undefined
  const { httpStatusCode, requestId, extendedRequestId, attempts, totalRetryDelay } = m as Record<string, unknown>
  return Object.fromEntries(
    Object.entries({ httpStatusCode, requestId, extendedRequestId, attempts, totalRetryDelay }).filter(
      ([, v]) => typeof v === 'number' || typeof v === 'string',
    ),
  )
}

/** The stack's frames (`    at ...` lines) under a header with the redacted message. */
const safeStack = (header: string, stack: unknown): string => {
  const frames = typeof stack === 'string' ? stack.split('\n').filter((line) => /^\s+at /.test(line)) : []
  return [header, ...frames].join('\n')
}

/**
 * A copy of a thrown value that is safe to keep on an error and print: an `Error` with the
 * same `name`, a redacted message and stack, the fields listed above, `$metadata` without
 * anything but ids and counts, and its own `cause` (and an AggregateError's `errors`)
 * redacted the same way. Bodies (`$response`), request objects and any other field are
 * dropped. A value that is not an error becomes an `Error` holding its redacted summary.
 * @internal
 */
export const redactCause = (cause: unknown, depth = 0): unknown => {
  if (cause === undefined || cause === null) return cause
  if (isRedacted(cause)) return cause
  const source = typeof cause === 'object' || typeof cause === 'function' ? (cause as Record<string, unknown>) : {}
  const rawName = safeRead(source, 'name')
  const rawMessage = safeRead(source, 'message')
  const isError = cause instanceof Error || (typeof rawMessage === 'string' && typeof rawName === 'string')
  const name = isError && typeof rawName === 'string' ? redact(rawName) : 'Error'
  const message = isError
    ? redact(typeof rawMessage === 'string' ? rawMessage : '')
    : typeof cause === 'string'
      ? redact(cause)
      : typeof cause
  const copy = new Error(message)
  Object.defineProperty(copy, 'name', { value: name, configurable: true, writable: true, enumerable: false })
  copy.stack = safeStack(message === '' ? name : `${name}: ${message}`, isError ? source['stack'] : undefined)
  for (const key of SAFE_FIELDS) {
    const v = safeRead(source, key)
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      Object.assign(copy, { [key]: typeof v === 'string' ? redact(v) : v })
  }
  const metadata = safeMetadata(safeRead(source, '$metadata'))
  if (metadata !== undefined) Object.assign(copy, { $metadata: metadata })
  const retryable = safeRead(source, '$retryable')
  if (typeof retryable === 'object' && retryable !== null)
    Object.assign(copy, { $retryable: { throttling: (retryable as { throttling?: unknown }).throttling === true } })
  if (depth < MAX_DEPTH) {
    const inner = safeRead(source, 'cause')
    if (inner !== undefined)
      Object.defineProperty(copy, 'cause', {
        value: redactCause(inner, depth + 1),
        configurable: true,
        writable: true,
        enumerable: false,
      })
    const errors = safeRead(source, 'errors')
    if (Array.isArray(errors))
      Object.assign(copy, { errors: errors.slice(0, 10).map((e: unknown) => redactCause(e, depth + 1)) })
  }
  Object.defineProperty(copy, REDACTED, { value: true })
  return copy
}

/** Marks copies made by {@link redactCause} (non-enumerable, so never printed). */
const REDACTED = Symbol.for('aws-refresh-session.redacted')
/** A copy made here, or an error of this library (redacted when it was built). */
const isRedacted = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string | symbol, unknown>
  return (
    safeRead(o, REDACTED) === true ||
    (safeRead(o, 'name') === 'CredentialError' &&
      typeof safeRead(o, 'code') === 'string' &&
      safeRead(o, REDACTED_SOURCE) === true)
  )
}
/**
 * Set by CredentialError on itself: its cause chain is already redacted.
 * @internal
 */
export const REDACTED_SOURCE = Symbol.for('aws-refresh-session.redactedError')

/** Reads a property of a foreign value; a throwing getter or Proxy trap reads as undefined. */
const safeRead = (o: Record<string | symbol, unknown>, key: string | symbol): unknown => {
  try {
    return o[key]
  } catch {
    return undefined
  }
}
