import type { Logger } from '@smithy/types'
import { CredentialError } from '../errors.js'

export type { Logger }

type Level = 'debug' | 'info' | 'warn' | 'error'
const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error']

/**
 * Checks a `logger` option: the SDK's `Logger` shape (`debug`, `info`, `warn`, `error`;
 * `trace` optional). Throws `InvalidConfiguration` naming `source`.
 * @internal
 */
export const checkLogger = (source: string, logger: unknown): Logger | undefined => {
  if (logger === undefined) return undefined
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- it types l[level] once narrowed to an object
  const l = logger as Partial<Record<Level, unknown>> | null
  if (typeof l !== 'object' || l === null || LEVELS.some((level) => typeof l[level] !== 'function'))
    throw new CredentialError(
      `${source}: options.logger must have debug, info, warn and error functions, as the AWS SDK's Logger (e.g. console)`,
      {
        code: 'InvalidConfiguration',
        source,
      },
    )
  return logger as Logger
}

/**
 * Writes one line; a logger that throws never breaks a credential call. Callers pass only
 * secret-free text: source names, actions, regions, error codes and redacted messages.
 * @internal
 */
export const logTo = (logger: Logger | undefined, level: Level, message: string): void => {
  if (logger === undefined) return
  try {
    logger[level](message)
  } catch {
    /* a logger must not break credential calls */
  }
}

/**
 * What a source's private SDK client logs with: `logger`, minus the command input and
 * output of the SDK's logger middleware. The STS model marks `SecretAccessKey` sensitive but
 * not `SessionToken` (answer) or `TokenCode` (MFA, request), so the SDK would log both in
 * clear at info; this keeps the client and command names, the metadata and the error name.
 * @internal
 */
export const privateClientLogger = (logger: Logger): Logger => {
  const scrub = (arg: unknown): unknown => {
    if (typeof arg !== 'object' || arg === null) return arg
    const { clientName, commandName, metadata, error } = arg as Record<string, unknown>
    return {
      clientName,
      commandName,
      metadata,
      ...(error === undefined ? {} : { error: (error as { name?: unknown }).name }),
    }
  }
  const forward =
    (level: Level) =>
    (...args: unknown[]): void => {
      try {
        logger[level](...args.map(scrub))
      } catch {
        /* a logger must not break credential calls */
      }
    }
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') }
}
