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
const SAFE_FIELDS = ['code', 'errno', 'syscall', '$fault', 'statusCode', 'Code', 'Type', 'exitCode', 'signal']
/** The fields of an SDK error's `$metadata` that are ids and counts. */
const SAFE_METADATA = ['httpStatusCode', 'requestId', 'extendedRequestId', 'attempts', 'totalRetryDelay']
const MAX_DEPTH = 8

/**
 * Sets a non-enumerable own property (what `util.inspect` and `JSON.stringify` skip).
 * @internal
 */
export const hide = (o: object, key: PropertyKey, value: unknown): void => {
  Object.defineProperty(o, key, { value, configurable: true, writable: true })
}

/** The entries of `keys` in `from` whose value passes `keep`, mapped by `map`. */
const pick = (
  from: Record<string | symbol, unknown>,
  keys: readonly string[],
  keep: (v: unknown) => boolean,
  map: (v: unknown) => unknown = (v) => v,
): Record<string, unknown> =>
  Object.fromEntries(keys.flatMap((k) => [safeRead(from, k)].filter(keep).map((v) => [k, map(v)])))

const isPrimitive = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'

/**
 * A copy of a thrown value that is safe to keep on an error and print: an `Error` with the
 * same `name`, a redacted message and stack (its `    at ...` frames under that header), the
 * fields listed above, `$metadata` without anything but ids and counts, and its own
 * `cause` (and an AggregateError's `errors`) redacted the same way. Bodies (`$response`),
 * request objects and any other field are dropped. A value that is not an error becomes an
 * `Error` holding its redacted summary.
 * @internal
 */
export const redactCause = (cause: unknown, depth = 0): unknown => {
  if (cause === undefined || cause === null || isRedacted(cause)) return cause
  const source = typeof cause === 'object' || typeof cause === 'function' ? (cause as Record<string, unknown>) : {}
  const rawName = safeRead(source, 'name')
  const rawMessage = safeRead(source, 'message')
  const isError = cause instanceof Error || (typeof rawMessage === 'string' && typeof rawName === 'string')
  const name = isError && typeof rawName === 'string' ? redact(rawName) : 'Error'
  const message = isError ? redact(typeof rawMessage === 'string' ? rawMessage : '') : describeError(cause)
  const stack = safeRead(source, 'stack')
  const frames = isError && typeof stack === 'string' ? stack.split('\n').filter((line) => /^\s+at /.test(line)) : []
  const metadata = safeRead(source, '$metadata')
  const retryable = safeRead(source, '$retryable')
  const copy = Object.assign(
    new Error(message),
    pick(source, SAFE_FIELDS, isPrimitive, (v) => (typeof v === 'string' ? redact(v) : v)),
    typeof metadata === 'object' && metadata !== null
      ? {
          $metadata: pick(
            metadata as Record<string, unknown>,
            SAFE_METADATA,
            (v) => typeof v === 'number' || typeof v === 'string',
          ),
        }
      : {},
    typeof retryable === 'object' && retryable !== null
      ? { $retryable: { throttling: safeRead(retryable as Record<string, unknown>, 'throttling') === true } }
      : {},
  )
  hide(copy, 'name', name)
  copy.stack = [message === '' ? name : `${name}: ${message}`, ...frames].join('\n')
  const inner = safeRead(source, 'cause')
  const errors = safeRead(source, 'errors')
  if (depth < MAX_DEPTH) {
    if (inner !== undefined) hide(copy, 'cause', redactCause(inner, depth + 1))
    if (Array.isArray(errors))
      Object.assign(copy, { errors: errors.slice(0, 10).map((e: unknown) => redactCause(e, depth + 1)) })
  }
  hide(copy, REDACTED, true)
  return copy
}

/**
 * Marks copies made by {@link redactCause}, and every CredentialError (its cause chain is
 * redacted when it is built); non-enumerable, so never printed.
 * @internal
 */
export const REDACTED = Symbol.for('aws-refresh-session.redacted')
/** A copy made here, or an error of this library. */
const isRedacted = (v: unknown): boolean =>
  typeof v === 'object' && safeRead(v as Record<symbol, unknown>, REDACTED) === true

/** Reads a property of a foreign value; a throwing getter or Proxy trap reads as undefined. */
const safeRead = (o: Record<string | symbol, unknown>, key: string | symbol): unknown => {
  try {
    return o[key]
  } catch {
    return undefined
  }
}
