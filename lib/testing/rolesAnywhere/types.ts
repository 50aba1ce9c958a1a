import type { IssueCertificateOptions, TestCertificate } from '../createTestCertificateAuthority.js'
import type { EmulatorControls, EmulatorRequestRecord } from '../shared/types.js'

/**
 * A profile of the emulator: the roles it lets a certificate assume and their longest session.
 *
 * @category testing
 * @since 0.2.0
 */
export type RolesAnywhereEmulatorProfile = {
  /** The roles of the profile. @default [`arn:aws:iam::ACCOUNT:role/roles-anywhere-role`] */
  readonly roleArns?: readonly string[]
  /** The profile's session duration: a longer `durationSeconds` is refused (400). @default 3600 */
  readonly durationSeconds?: number
  /** false answers "Not authorized to set roleSessionName" (403) to a request that sets one. @default true */
  readonly acceptRoleSessionName?: boolean
}

/**
 * A fault in the vocabulary of 0.1.0, for `RolesAnywhereEmulator.inject`. `count` is how many
 * requests it hits (default 1; `Infinity` for all).
 *
 * - `throttle`: 429 `ThrottlingException` "Rate exceeded".
 * - `status`: that status (500 `InternalServerException`, 503 `ServiceUnavailableException`, ...).
 * - `delay`: waits `ms` before answering normally.
 * - `reset`: destroys the connection without an answer.
 * - `malformed`: 201 with a body that is not JSON.
 * - `expiredCredentials`: a normal answer whose credentials expired a minute ago.
 *
 * @deprecated since 0.2.0: use {@link EmulatorFault} with `fault()`, which names the type `kind`; removed in the next release.
 * @category testing
 * @since 0.2.0
 */
export type RolesAnywhereFault = (
  | { readonly type: 'throttle' }
  | { readonly type: 'status'; readonly status: number; readonly message?: string }
  | { readonly type: 'delay'; readonly ms: number }
  | { readonly type: 'reset' }
  | { readonly type: 'malformed' }
  | { readonly type: 'expiredCredentials' }
) & { readonly count?: number }

/**
 * One CreateSession request as the emulator saw it.
 *
 * @category testing
 * @since 0.2.0
 */
export type RolesAnywhereEmulatorRequest = EmulatorRequestRecord & {
  readonly method: string
  /** The query parameters, decoded. */
  readonly query: Readonly<Record<string, string>>
  /** The request headers (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The JSON body as sent. */
  readonly body: string
  /** The signing algorithm of the Authorization header, if it parsed. */
  algorithm?: string | undefined
  /** The certificate serial (decimal) of the Credential scope, if it parsed. */
  serial?: string | undefined
  /** The error type answered (`X-Amzn-Errortype`), if any. */
  errorType?: string
  /** The error message answered, if any. */
  message?: string
}

/**
 * What `RolesAnywhereEmulator.issueCertificate` issues.
 *
 * @category testing
 * @since 0.2.0
 */
export type RolesAnywhereCertificateOptions = Pick<IssueCertificateOptions, 'keyType' | 'notAfter' | 'notBefore'> & {
  /** @default 'roles-anywhere-workload' */
  readonly commonName?: string
  /** Issue from the intermediate CA (the chain must then be sent), not the root. @default true */
  readonly viaIntermediate?: boolean
  /** Issue from a CA no trust anchor holds (refused: "Untrusted signing certificate"). @default false */
  readonly foreignCa?: boolean
}

/**
 * A workload certificate: leaf and key PEM, and the intermediates PEM when it needs them.
 *
 * @category testing
 * @since 0.2.0
 */
export type RolesAnywhereCertificate = TestCertificate & {
  /** The chain to send as `intermediates`; undefined for a certificate issued by the root. */
  readonly intermediates: string | undefined
  /** The serial number in decimal, as the Credential scope carries it. */
  readonly serial: string
}

/**
 * A running IAM Roles Anywhere emulator; see {@link startRolesAnywhereEmulator}.
 *
 * @category testing
 * @since 0.2.0
 */
export type RolesAnywhereEmulator = EmulatorControls & {
  /** `http://127.0.0.1:PORT` (or `https://` with `tls`): give it to `fromRolesAnywhere` as `endpoint`. */
  readonly endpoint: string
  readonly region: string
  readonly accountId: string
  /** The trust anchor holding the emulator's root CA. */
  readonly trustAnchorArn: string
  /** The ARNs of the profiles, in the order configured. */
  readonly profileArns: readonly string[]
  /** The first profile's ARN. */
  readonly profileArn: string
  /** The first profile's first role. */
  readonly roleArn: string
  /** The root CA (the trust anchor's certificate), PEM. */
  readonly rootCa: string
  /** With `tls`: the CA of the server certificate, PEM, to pass as `ca`. */
  readonly serverCa: string | undefined
  /** A ready workload certificate: ECDSA P-256, from the intermediate CA. */
  readonly certificate: RolesAnywhereCertificate
  readonly issueCertificate: (options?: RolesAnywhereCertificateOptions) => Promise<RolesAnywhereCertificate>
  /** Every request received, oldest first (live). */
  readonly requests: readonly RolesAnywhereEmulatorRequest[]
  /** Adds a fault of 0.1.0's vocabulary. @deprecated since 0.2.0: use `fault({ kind, ... })`; removed in the next release. */
  readonly inject: (fault: RolesAnywhereFault) => void
  /** Removes every pending fault. @deprecated since 0.2.0: use `reset()`; removed in the next release. */
  readonly clearFaults: () => void
  /** Forgets the recorded requests. @deprecated since 0.2.0: use `reset()`; removed in the next release. */
  readonly clearRequests: () => void
  /** Moves the server clock by `ms` from `now()` (positive = ahead). */
  readonly setSkewMs: (ms: number) => void
  /** Stops the server, drops open connections and pending delays. */
  readonly close: () => Promise<void>
}
