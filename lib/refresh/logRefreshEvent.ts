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
  const [level, text] =
    e.type === 'refresh-started'
      ? (['debug', `refresh started (${e.reason})`] as const)
      : e.type === 'refresh-succeeded'
        ? ([
            'info',
            `refreshed (${e.reason}) in ${e.durationMs} ms, key ...${e.accessKeyIdSuffix} expires ${iso(e.expiration)}, next refresh ${iso(Number.isFinite(e.refreshAt) ? e.refreshAt : undefined)}`,
          ] as const)
        : e.type === 'refresh-failed'
          ? ([
              'warn',
              `refresh failed (${e.reason}, ${e.failures} in a row): ${e.error.code}: ${e.error.message}`,
            ] as const)
          : e.type === 'backoff'
            ? (['debug', `next refresh attempt in ${e.delayMs} ms`] as const)
            : (['warn', `serving cached credentials (they expire ${iso(e.expiration)}) while refreshes fail`] as const)
  logTo(logger, level, `${name}: ${text}`)
}
