import type { CredentialError } from '../errors.js'
import { logTo, type Logger } from '../internal/sdkLogger.js'
import type { RefreshEvent } from './RefreshEvent.js'

/** The level of an event: failures and stale serving at warn, successes at info, starts and back-offs at debug. */
const levelOf = (type: RefreshEvent['type']): 'debug' | 'info' | 'warn' =>
  type === 'refresh-failed' || type === 'stale-served' ? 'warn' : type === 'refresh-succeeded' ? 'info' : 'debug'

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
  logTo(logger, levelOf(e.type), `${name}: ${JSON.stringify(e, field)}`)
