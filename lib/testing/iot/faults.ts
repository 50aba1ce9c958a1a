import type { EmulatorFault } from '../shared/faults.js'

/**
 * A fault of the IoT emulator: an {@link EmulatorFault} limited, if `roleAlias` is given, to
 * credential requests for that role alias.
 *
 * @category testing
 * @since 0.2.0
 */
export type IotEmulatorFault = EmulatorFault & { readonly roleAlias?: string }

/**
 * A fault in the vocabulary of 0.1.0, for `IotEmulator.inject`.
 * `count` (default 1; `Infinity` for every one) answers are affected, as with the STS emulator; with `roleAlias`, only requests for that alias.
 *
 * - `status`: answer `status` (429, 500, 503, ...) with IoT's JSON error body.
 * - `delay`: wait `ms` (on real timers, cleared by `close()`) before answering normally.
 * - `reset`: destroy the connection without an answer.
 * - `malformed`: answer 200 with a body that is not JSON.
 * - `expired`: answer 200 with credentials that expired a minute ago.
 *
 * @deprecated since 0.2.0: use {@link IotEmulatorFault} with `fault()` (`kind`, `expiredCredentials`, `count`); removed in the next release.
 * @category testing
 * @since 0.1.0
 */
export type IotFault = (
  | { readonly type: 'status'; readonly status: number; readonly message?: string }
  | { readonly type: 'delay'; readonly ms: number }
  | { readonly type: 'reset' }
  | { readonly type: 'malformed' }
  | { readonly type: 'expired' }
) & {
  readonly count?: number
  /** @deprecated the same as `count`, kept for code written before 0.1.0 was released. */
  readonly times?: number
  readonly roleAlias?: string
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'InvalidRequestException',
  403: 'ForbiddenException',
  404: 'ResourceNotFoundException',
  429: 'ThrottlingException',
  500: 'InternalFailureException',
  503: 'ServiceUnavailableException',
}

/** IoT's `x-amzn-ErrorType` for a status (an *assumed* mapping for 429 and 5xx). */
export const errorType = (status: number): string =>
  ERROR_TYPES[status] ?? (status >= 500 ? 'InternalFailureException' : 'InvalidRequestException')

/** IoT's message for an injected status (an *assumed* wording for 429 and 5xx). */
export const faultMessage = (status: number): string =>
  status === 429 ? 'Rate exceeded' : status >= 500 ? 'Service unavailable, please retry' : 'Bad request'
