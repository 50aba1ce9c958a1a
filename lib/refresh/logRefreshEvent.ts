import { logTo, type Logger } from '../internal/sdkLogger.js'
import type { RefreshEvent } from './RefreshEvent.js'

const iso = (at: number | Date | undefined): string => (at === undefined ? 'never' : new Date(at).toISOString())

/**
 * Writes a refresh event of the provider of `name` to the SDK-style `logger`: starts and
 * back-offs at debug, successes at info, failures and stale serving at warn. Only what
 * the event holds, which is secret-free: times, reasons, codes, redacted messages and
 * the last four characters of the access key id.
 * @internal
 */
export const logRefreshEvent = (logger: Logger, name: string, e: RefreshEvent): void => {
  switch (e.type) {
    case 'refresh-started':
      return logTo(logger, 'debug', `${name}: refresh started (${e.reason})`)
    case 'refresh-succeeded':
      return logTo(
        logger,
        'info',
        `${name}: refreshed (${e.reason}) in ${e.durationMs} ms, key ...${e.accessKeyIdSuffix} expires ${iso(e.expiration)}, next refresh ${iso(Number.isFinite(e.refreshAt) ? e.refreshAt : undefined)}`,
      )
    case 'refresh-failed':
      return logTo(
        logger,
        'warn',
        `${name}: refresh failed (${e.reason}, ${e.failures} in a row): ${e.error.code}: ${e.error.message}`,
      )
    case 'backoff':
      return logTo(logger, 'debug', `${name}: next refresh attempt in ${e.delayMs} ms`)
    case 'stale-served':
      return logTo(
        logger,
        'warn',
        `${name}: serving cached credentials (they expire ${iso(e.expiration)}) while refreshes fail`,
      )
  }
}
