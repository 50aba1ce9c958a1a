import type { CredentialError } from '../errors.js'
import { logTo, type Logger } from '../internal/sdkLogger.js'
import type { RefreshEvent } from './RefreshEvent.js'

const LEVELS: { readonly [T in RefreshEvent['type']]: 'debug' | 'info' | 'warn' } = {
  'refresh-started': 'debug',
  backoff: 'debug',
  'refresh-succeeded': 'info',
  'refresh-failed': 'warn',
  'stale-served': 'warn',
}

/** A field of the event as logged: times in ISO 8601 (`never` for none or no finite time), the error as its code and message. */
const field = (key: string, v: unknown): unknown =>
  key === 'error'
    ? `${(v as CredentialError).code}: ${(v as CredentialError).message}`
    : /at$/i.test(key) // at, refreshAt, retryAt
      ? Number.isFinite(v)
        ? new Date(v as number).toISOString()
        : 'never'
      : v

/**
 * Writes a refresh event of the provider of `name` to the SDK-style `logger` as one line,
 * `<name>: <the event as JSON>`: starts and back-offs at debug, successes at info,
 * failures and stale serving at warn. Only what the event holds, which is secret-free:
 * times, reasons, codes, redacted messages and the last four characters of the access key id.
 * @internal
 */
export const logRefreshEvent = (logger: Logger, name: string, e: RefreshEvent): void =>
  logTo(logger, LEVELS[e.type], `${name}: ${JSON.stringify(e, field)}`)
