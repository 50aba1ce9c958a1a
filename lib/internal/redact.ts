const MAX_LENGTH = 300
/** How deep a chain of causes is copied. */
const MAX_DEPTH = 8

/** Reads a property of a foreign value; a throwing getter or Proxy trap reads as undefined. */
const safeRead = (o: unknown, key: string | symbol): unknown => {
  try {
    return (o as Record<string | symbol, unknown>)[key]
  } catch {
    return undefined
  }
}

/**
 * Masks secret-looking parts of a message from outside this library and bounds its length.
 * @internal
 */
export const redact = (message: string): string => {
  // Anything that looks like key material (PEM blocks, long runs of base64/hex characters,
  // that is word characters and / + = -, six-digit codes) is masked before a foreign message
  // is copied into one of ours. A file path or a word is no secret; a long run holding a
  // digit, or a very long one, may be.
  const masked = message
    .replace(/-----BEGIN [^-]+-----[\s\S]*?(-----END [^-]+-----|$)/g, '[PEM]')
    .replace(/[\w/+=-]{16,}/g, (run) => (run.length >= 32 || /\d/.test(run) ? '***' : run))
    .replace(/(?<!\d)\d{6}(?!\d)/g, '******')
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

/** Fields of a foreign error that hold no secret and say what went wrong; copied (strings redacted) when primitive. */
const SAFE_FIELDS = 'code errno syscall $fault statusCode Code Type exitCode signal'.split(' ')
/** The fields of an SDK error's `$metadata` that are ids and counts, copied as they are. */
const SAFE_METADATA = 'httpStatusCode requestId extendedRequestId attempts totalRetryDelay'.split(' ')

/**
 * Sets a non-enumerable own property (what `util.inspect` and `JSON.stringify` skip).
 * @internal
 */
export const hide = (o: object, key: PropertyKey, value: unknown): void => {
  Object.defineProperty(o, key, { value, configurable: true, writable: true })
}

/** Sets on `to` each of `keys` of `from` whose value passes `keep`, mapped by `map`; returns `to`. */
const copyFields = (
  to: Record<string, unknown>,
  from: unknown,
  keys: readonly string[],
  keep: (v: unknown) => boolean,
  map: (v: unknown) => unknown = (v) => v,
): Record<string, unknown> => {
  for (const key of keys) {
    const value = safeRead(from, key)
    if (keep(value)) to[key] = map(value)
  }
  return to
}

const isString = (v: unknown): v is string => typeof v === 'string'
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null

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
  if (cause === undefined || cause === null || safeRead(cause, REDACTED)) return cause
  const name = safeRead(cause, 'name')
  const message = safeRead(cause, 'message')
  const stack = safeRead(cause, 'stack')
  const isError = cause instanceof Error || (isString(name) && isString(message))
  const safeMessage = isError ? redact(isString(message) ? message : '') : describeError(cause)
  const safeName = isError && isString(name) ? redact(name) : 'Error'
  const copy: Record<string, unknown> = new Error(safeMessage) as never
  copyFields(
    copy,
    cause,
    SAFE_FIELDS,
    (v) => isString(v) || typeof v === 'number' || typeof v === 'boolean',
    (v) => (isString(v) ? redact(v) : v),
  )
  copyFields(copy, cause, ['$metadata'], isObject, (metadata) =>
    copyFields({}, metadata, SAFE_METADATA, (v) => isString(v) || typeof v === 'number'),
  )
  copyFields(copy, cause, ['$retryable'], isObject, (retryable) => ({
    throttling: safeRead(retryable, 'throttling') === true,
  }))
  hide(copy, 'name', safeName)
  // Each frame is a line `    at ...`, taken with the newline before it.
  const frames = (isError && isString(stack) && stack.match(/\n[ \t]+at .*/g)) || []
  copy.stack = `${safeName}${safeMessage && `: ${safeMessage}`}${frames.join('')}`
  if (depth < MAX_DEPTH) {
    const inner = safeRead(cause, 'cause')
    const errors = safeRead(cause, 'errors')
    if (inner !== undefined) hide(copy, 'cause', redactCause(inner, depth + 1))
    if (Array.isArray(errors)) copy.errors = errors.slice(0, 10).map((e: unknown) => redactCause(e, depth + 1))
  }
  return copy
}

/**
 * Marks every CredentialError (its cause chain is redacted when it is built), which
 * {@link redactCause} keeps as it is; non-enumerable, so never printed. A copy is not marked:
 * given as a cause again, it is copied again (its text is already redacted).
 * @internal
 */
export const REDACTED = Symbol.for('aws-refresh-session.redacted')
