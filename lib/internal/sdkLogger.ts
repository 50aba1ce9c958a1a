import type { Logger } from '@smithy/types'
import { defined } from './defined.js'
import { check, kindOf } from './validate.js'

export type { Logger }

type Level = 'debug' | 'info' | 'warn' | 'error'
const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error']

/**
 * Checks a `logger` option: the SDK's `Logger` shape (`debug`, `info`, `warn`, `error`;
 * `trace` optional). Throws `InvalidConfiguration` naming `source`.
 * @internal
 */
export const checkLogger = (source: string, logger: unknown): Logger | undefined => {
  check(
    source,
    logger === undefined ||
      LEVELS.every((level) => typeof (logger as Record<string, unknown> | null)?.[level] === 'function'),
    'options.logger',
    'a Logger (debug, info, warn, error)',
    kindOf(logger),
  )
  return logger as Logger | undefined
}

/**
 * Writes one line; a logger that throws never breaks a credential call. Callers pass only
 * secret-free text: source names, actions, regions, error codes and redacted messages.
 * @internal
 */
export const logTo = (logger: Logger | undefined, level: Level, ...args: unknown[]): void => {
  try {
    logger?.[level](...args)
  } catch {
    /* a logger must not break credential calls */
  }
}

/** One argument of a log call without the command input and output: see {@link privateClientLogger}. */
const scrub = (arg: unknown): unknown => {
  if (typeof arg !== 'object' || arg === null) return arg
  const { clientName, commandName, metadata, error } = arg as Record<string, unknown>
  return defined({ clientName, commandName, metadata, error: (error as { name?: unknown } | undefined)?.name })
}

/**
 * What a source's private SDK client logs with: `logger`, minus the command input and
 * output of the SDK's logger middleware. The STS model marks `SecretAccessKey` sensitive but
 * not `SessionToken` (answer) or `TokenCode` (MFA, request), so the SDK would log both in
 * clear at info; this keeps the client and command names, the metadata and the error name.
 * @internal
 */
export const privateClientLogger = (logger: Logger): Logger =>
  Object.fromEntries(
    LEVELS.map((level) => [level, (...args: unknown[]) => logTo(logger, level, ...args.map(scrub))]),
  ) as unknown as Logger
