/**
 * A fault the IoT emulator injects into its next credential answers.
 * `count` (default 1; `Infinity` for every one) answers are affected, as with the STS emulator; with `roleAlias`, only requests for that alias.
 *
 * - `status`: answer `status` (429, 500, 503, ...) with IoT's JSON error body.
 * - `delay`: wait `ms` (on real timers, cleared by `close()`) before answering normally.
 * - `reset`: destroy the connection without an answer.
 * - `malformed`: answer 200 with a body that is not JSON.
 * - `expired`: answer 200 with credentials that expired a minute ago.
 *
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

type Pending = { fault: IotFault; left: number }

/** A queue of injected faults; `take` consumes one answer's worth of the first that matches. */
export const faultQueue = () => {
  const pending: Pending[] = []
  return {
    add: (fault: IotFault): void => void pending.push({ fault, left: fault.count ?? fault.times ?? 1 }),
    clear: (): void => void pending.splice(0),
    take: (roleAlias: string): IotFault | undefined => {
      const i = pending.findIndex((p) => p.fault.roleAlias === undefined || p.fault.roleAlias === roleAlias)
      const p = pending[i]
      if (!p) return undefined
      if (--p.left <= 0) pending.splice(i, 1)
      return p.fault
    },
  }
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
export const errorType = (status: number): string => ERROR_TYPES[status] ?? (status >= 500 ? 'InternalFailureException' : 'InvalidRequestException')

/** IoT's message for an injected status (an *assumed* wording for 429 and 5xx). */
export const faultMessage = (status: number): string =>
  status === 429 ? 'Rate exceeded' : status >= 500 ? 'Service unavailable, please retry' : 'Bad request'
