import type { EmulatorControls, EmulatorRequestRecord } from '../shared/types.js'
import type { EmulatorFault } from '../shared/faults.js'

/**
 * The STS actions the emulator answers.
 *
 * @category testing
 * @since 0.1.0
 */
export type StsAction = 'AssumeRole' | 'GetSessionToken' | 'AssumeRoleWithWebIdentity' | 'GetCallerIdentity'

/**
 * A role the emulator knows.
 *
 * @category testing
 * @since 0.1.0
 */
export type StsEmulatorRole = {
  /** `arn:aws:iam::ACCOUNT:role/NAME`. */
  readonly arn: string
  /** Refuse AssumeRole without a valid `SerialNumber` + `TokenCode`. @default false */
  readonly mfaRequired?: boolean
  /**
   * ARNs allowed to assume the role: an IAM user ARN, or a role ARN (then sessions of that
   * role may chain into this one). `'*'` allows every known principal. @default ['*']
   */
  readonly principals?: readonly string[]
  /** The role's MaxSessionDuration, 3600–43200 on AWS. @default 3600 */
  readonly maxSessionDurationSeconds?: number
}

/**
 * A fault of the STS emulator: an {@link EmulatorFault} limited, if `action` is given, to one
 * STS action (a {@link StsAction}, or any `Action` a client sends).
 *
 * @category testing
 * @since 0.2.0
 */
export type StsEmulatorFault = EmulatorFault

/**
 * A fault in the vocabulary of 0.1.0, for `StsEmulator.inject`. `action` limits it to one action (default: any); `count` is how many
 * matching requests it hits (default 1; `Infinity` for all).
 *
 * - `throttle`: 400 `Throttling` "Rate exceeded" (the SDK retries it).
 * - `status`: 500 `InternalFailure` or 503 `ServiceUnavailable` (retried by the SDK).
 * - `delay`: waits `ms` before answering normally.
 * - `reset`: destroys the connection without an answer.
 * - `malformed`: 200 with a body that is not XML.
 * - `expiredCredentials`: a normal answer whose credentials expired a minute ago.
 * - `expiredToken`: 403 `ExpiredToken` for requests signed by `accessKeyId`.
 *
 * @deprecated since 0.2.0: use {@link StsEmulatorFault} with `fault()`, which names the type `kind`; removed in the next release.
 * @category testing
 * @since 0.1.0
 */
export type StsFault = (
  | { readonly type: 'throttle' }
  | { readonly type: 'status'; readonly status: 500 | 503 }
  | { readonly type: 'delay'; readonly ms: number }
  | { readonly type: 'reset' }
  | { readonly type: 'malformed' }
  | { readonly type: 'expiredCredentials' }
  | { readonly type: 'expiredToken'; readonly accessKeyId: string }
) & { readonly action?: StsAction; readonly count?: number }

/**
 * One request as the emulator saw it.
 *
 * @category testing
 * @since 0.1.0
 */
export type StsEmulatorRequest = EmulatorRequestRecord & {
  /** Every form parameter, decoded, in the order received. */
  readonly params: Readonly<Record<string, string>>
  /** The access key id that signed it; undefined for unsigned requests. */
  readonly accessKeyId: string | undefined
  /** The request headers (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The STS error code answered, if any. */
  errorCode?: string
}

/** An STS error answer. */
export type StsErrorSpec = {
  readonly status: number
  readonly code: string
  readonly message: string
  readonly type?: 'Sender' | 'Receiver'
}

/** Credentials the emulator issued or was configured with. */
export type KnownKey = {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
  /** Epoch ms; undefined for the long-term base key. */
  readonly expiresAt?: number
  /** The caller identity ARN (user or assumed-role). */
  readonly arn: string
  /** For assumed-role sessions, the role ARN (for chaining checks). */
  readonly roleArn?: string
  readonly userId: string
}

/** Thrown by handlers to answer an STS error. */
export const stsError = (
  status: number,
  code: string,
  message: string,
  type: 'Sender' | 'Receiver' = 'Sender',
): StsErrorSpec => ({
  status,
  code,
  message,
  type,
})

export const isStsErrorSpec = (e: unknown): e is StsErrorSpec =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as StsErrorSpec).code === 'string' &&
  typeof (e as StsErrorSpec).status === 'number'

/**
 * A running STS emulator (see {@link startStsEmulator}).
 *
 * @category testing
 * @since 0.1.0
 */
export type StsEmulator = EmulatorControls<StsEmulatorFault> & {
  /** `http://127.0.0.1:PORT`: give it to `STSClient` as `endpoint`. */
  readonly endpoint: string
  readonly region: string
  readonly accountId: string
  /** The base user's ARN, `arn:aws:iam::ACCOUNT:user/NAME`. */
  readonly userArn: string
  /** The base user's long-term key: give it to the source as `source` or to a client. */
  readonly baseCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  /** The ARNs of the known roles, in the order configured. */
  readonly roleArns: readonly string[]
  /** The MFA device: its serial and base32 TOTP secret (give the secret to `totp`). */
  readonly mfa: { readonly serialNumber: string; readonly secret: string }
  /** Every request received, oldest first (live). */
  readonly requests: readonly StsEmulatorRequest[]
  /** Adds a fault of 0.1.0's vocabulary. @deprecated since 0.2.0: use `fault({ kind, ... })`; removed in the next release. */
  readonly inject: (fault: StsFault) => void
  /** Removes every pending fault. @deprecated since 0.2.0: use `reset()`; removed in the next release. */
  readonly clearFaults: () => void
  /** Forgets the recorded requests and resets `peakInFlight()`. @deprecated since 0.2.0: use `reset()`; removed in the next release. */
  readonly clearRequests: () => void
  /** Moves the server clock by `ms` from `now()` (positive = ahead); the `Date` header follows it. */
  readonly setSkewMs: (ms: number) => void
  /** Stops the server, drops open connections and pending delays. */
  readonly close: () => Promise<void>
}
