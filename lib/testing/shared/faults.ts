/**
 * A fault to inject into an emulator's next answers, the same vocabulary for the STS, IoT
 * and Roles Anywhere emulators. `count` is how many matching requests it hits (default 1;
 * `Infinity` for every one); `action` limits it to one operation (the `action` of the
 * request log: an STS action, `AssumeRoleWithCertificate`, `CreateSession`).
 *
 * - `throttle`: the service's throttling answer (STS 400 `Throttling`, IoT and Roles Anywhere 429).
 * - `status`: that HTTP status (500, 503, ...) with the service's error body; `message` replaces its wording.
 * - `delay`: waits `ms` before answering (then one more fault may apply to the same request).
 * - `reset`: destroys the connection without an answer.
 * - `malformed`: a success status with a body that cannot be parsed.
 * - `expiredCredentials`: a normal answer whose credentials expired a minute ago.
 * - `expiredToken`: the service's answer to expired credentials: STS 403 `ExpiredToken` for
 *   requests signed by `accessKeyId` (any signed request when omitted; an unsigned web
 *   identity request gets `InvalidIdentityToken`), IoT 403 "The security token included in
 *   the request is expired", Roles Anywhere 403 "Certificate is expired or not yet valid".
 *
 * @example
 * ```ts
 * sts.fault({ kind: 'throttle', action: 'AssumeRole', count: 2 })
 * iot.fault({ kind: 'status', status: 503, count: Infinity })
 * ```
 * @category testing
 * @since 0.2.0
 */
export type EmulatorFault = (
  | { readonly kind: 'throttle' }
  | { readonly kind: 'status'; readonly status: number; readonly message?: string }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'expiredCredentials' }
  | { readonly kind: 'expiredToken'; readonly accessKeyId?: string }
) & { readonly count?: number; readonly action?: string }

/** What a fault is matched against: the request's operation, signing key and (IoT) role alias. */
export type FaultTarget = {
  readonly action: string
  readonly accessKeyId?: string | undefined
  readonly roleAlias?: string | undefined
}

/** A queued fault, with the IoT emulator's role-alias filter. */
export type QueuedFault = EmulatorFault & { readonly roleAlias?: string }

/** A queue of injected faults, matched in the order injected. */
export type FaultQueue = {
  readonly add: (fault: QueuedFault) => void
  readonly clear: () => void
  /** Consumes one use of the first fault matching `target`, skipping faults of kind `except`. */
  readonly take: (target: FaultTarget, except?: EmulatorFault['kind']) => QueuedFault | undefined
}

const matches = (f: QueuedFault, t: FaultTarget): boolean =>
  (f.action === undefined || f.action === t.action) &&
  (f.roleAlias === undefined || f.roleAlias === t.roleAlias) &&
  (f.kind !== 'expiredToken' || f.accessKeyId === undefined || f.accessKeyId === t.accessKeyId)

export const createFaultQueue = (): FaultQueue => {
  const entries: { fault: QueuedFault; left: number }[] = []
  return {
    add: (fault) => void entries.push({ fault, left: fault.count ?? 1 }),
    clear: () => void entries.splice(0),
    take: (target, except) => {
      const i = entries.findIndex((e) => e.fault.kind !== except && matches(e.fault, target))
      const entry = entries[i]
      if (!entry) return undefined
      entry.left -= 1
      if (entry.left <= 0) entries.splice(i, 1)
      return entry.fault
    },
  }
}

/**
 * The fault for one request: a `delay` waits (one per request: a delay with `count: N` slows
 * N requests), then any other fault applies.
 */
export const nextFault = async (
  queue: FaultQueue,
  target: FaultTarget,
  sleep: (ms: number) => Promise<void>,
): Promise<QueuedFault | undefined> => {
  const first = queue.take(target)
  if (first?.kind !== 'delay') return first
  await sleep(first.ms)
  return queue.take(target, 'delay')
}

/** A fault in the vocabulary of 0.1.0: `type` for `kind`, `expired` for `expiredCredentials`, `times` for `count`. */
export type LegacyFault = {
  readonly type: string
  readonly count?: number
  readonly times?: number
  readonly [field: string]: unknown
}

/** Translates a fault of 0.1.0's vocabulary. */
export const fromLegacyFault = (legacy: LegacyFault): QueuedFault => {
  const { type, times, ...rest } = legacy
  const kind = type === 'expired' ? 'expiredCredentials' : type
  const count = legacy.count ?? times
  return { ...rest, kind, ...(count === undefined ? {} : { count }) } as QueuedFault
}
