// What the fault matrix expects of each cell, and how it prints the results.
import type { CredentialErrorCode } from '../../lib/errors'
import type { FaultKind, SourceKind } from './faultMatrixSources'

export type Window = 'cold' | 'fresh' | 'advisory' | 'mandatory' | 'expired'
export const WINDOWS: readonly Window[] = ['cold', 'fresh', 'advisory', 'mandatory', 'expired']

const MINUTE = 60_000
/**
 * Where each window is, measured from the call that cached one-hour credentials. With
 * `withRefresh`'s defaults for a one-hour lifetime (rule 6) the advisory window is the last
 * 15 minutes and the mandatory window the last minute.
 */
export const WINDOW_AT: Readonly<Record<Exclude<Window, 'cold'>, number>> = {
  fresh: 30 * MINUTE,
  advisory: 50 * MINUTE,
  mandatory: 59.5 * MINUTE,
  expired: 61 * MINUTE,
}

/** Retries of the `withRetry` in every cell's stack: one attempt and one retry. */
export const RETRIES = 1

/** How a source reports one fault: the `CredentialError` code and whether a retry can fix it. */
export type FaultSpec = {
  readonly fault: FaultKind
  readonly code: CredentialErrorCode
  readonly retryable: boolean
  /**
   * The IoT transport sends a request again, once, when a kept-alive socket is reset
   * (Node's advice for idle sockets the server closed): one reset on a warm connection
   * never reaches `withRetry`.
   */
  readonly absorbedOnWarmSocket?: boolean
}

const sts: readonly FaultSpec[] = [
  { fault: 'throttle', code: 'Throttled', retryable: true },
  { fault: '500', code: 'ServiceUnavailable', retryable: true },
  { fault: '503', code: 'ServiceUnavailable', retryable: true },
  { fault: 'delay', code: 'Timeout', retryable: true },
  { fault: 'reset', code: 'NetworkError', retryable: true },
  // A 200 whose body cannot be read: the SDK failed to parse it, so a retry may help.
  { fault: 'malformed', code: 'SourceFailed', retryable: true },
  { fault: 'expired-creds', code: 'Expired', retryable: false },
  // ExpiredToken for the signing key (web identity: an expired token, InvalidIdentityToken).
  { fault: 'ExpiredToken', code: 'StsRejected', retryable: false },
]

export const FAULTS: Readonly<Record<SourceKind, readonly FaultSpec[]>> = {
  'assume-role': sts,
  'session-token': sts,
  'web-identity': sts,
  iot: [
    { fault: 'throttle', code: 'Throttled', retryable: true },
    { fault: '500', code: 'ServiceUnavailable', retryable: true },
    { fault: '503', code: 'ServiceUnavailable', retryable: true },
    { fault: 'delay', code: 'Timeout', retryable: true },
    { fault: 'reset', code: 'NetworkError', retryable: true, absorbedOnWarmSocket: true },
    { fault: 'malformed', code: 'InvalidCredentials', retryable: false },
    { fault: 'expired-creds', code: 'Expired', retryable: false },
    { fault: 'ExpiredToken', code: 'IotRejected', retryable: false },
    { fault: 'tls-server-ca', code: 'TlsError', retryable: false },
    { fault: 'tls-client-ca', code: 'IotRejected', retryable: false },
  ],
  'roles-anywhere': [
    { fault: 'throttle', code: 'Throttled', retryable: true },
    { fault: '500', code: 'ServiceUnavailable', retryable: true },
    { fault: '503', code: 'ServiceUnavailable', retryable: true },
    { fault: 'delay', code: 'Timeout', retryable: true },
    { fault: 'reset', code: 'NetworkError', retryable: true },
    { fault: 'malformed', code: 'InvalidCredentials', retryable: false },
    { fault: 'expired-creds', code: 'Expired', retryable: false },
    { fault: 'ExpiredToken', code: 'RolesAnywhereRejected', retryable: false },
  ],
  // A function's own errors are SourceFailed (retryable when they look transient); a bad
  // or already-expired result is InvalidCredentials (README, fromCallable).
  callable: [
    { fault: 'throttle', code: 'SourceFailed', retryable: true },
    { fault: '500', code: 'SourceFailed', retryable: true },
    { fault: '503', code: 'SourceFailed', retryable: true },
    { fault: 'delay', code: 'Timeout', retryable: true },
    { fault: 'reset', code: 'SourceFailed', retryable: true },
    { fault: 'malformed', code: 'InvalidCredentials', retryable: false },
    { fault: 'expired-creds', code: 'InvalidCredentials', retryable: false },
    { fault: 'ExpiredToken', code: 'SourceFailed', retryable: false },
    { fault: 'tls-server-ca', code: 'SourceFailed', retryable: false },
  ],
}

/** One row: a fault, hitting `count` requests (`once`, or an `outage` that outlasts every retry). */
export type Row = FaultSpec & { readonly source: SourceKind; readonly count: number; readonly label: 'once' | 'outage' }

/** A retryable fault gets both rows; any other fails the same however often it happens. */
export const rowsOf = (source: SourceKind): Row[] =>
  FAULTS[source].flatMap((spec) => [
    { ...spec, source, count: 1, label: 'once' as const },
    ...(spec.retryable ? [{ ...spec, source, count: Infinity, label: 'outage' as const }] : []),
  ])

/**
 * The outcome the README's refresh rules give a cell:
 * - fresh (rule 3) and advisory (rule 4): the cached value at once (`cached`);
 * - a fault that one retry fixes: the caller waits for the refresh, which succeeds (`waited`);
 * - otherwise mandatory (rule 5): the still-valid value is served (`stale`);
 * - otherwise cold (rule 1) and expired (rule 5): the `CredentialError`'s code.
 */
export const expectedOutcome = (row: Row, window: Window): string => {
  const persistent = !row.retryable || row.count > RETRIES
  if (window === 'fresh' || window === 'advisory') return 'cached'
  if (!persistent) return 'waited'
  return window === 'mandatory' ? 'stale' : row.code
}

/** The matrix as a text table: rows source × fault, columns windows. */
export const formatMatrix = (
  rows: readonly Row[],
  outcomes: ReadonlyMap<string, string>,
  key: (row: Row, w: Window) => string,
): string => {
  const header = ['source', 'fault', 'count', 'code (retryable)', ...WINDOWS]
  const lines = rows.map((row) => [
    row.source,
    row.fault,
    row.label,
    `${row.code}${row.retryable ? ' (r)' : ''}`,
    ...WINDOWS.map((w) => outcomes.get(key(row, w)) ?? '-'),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const fmt = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [
    fmt(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...lines.map(fmt),
    '',
    'cached = the cached value at once, no wait (in advisory: and one background refresh, awaited and checked)',
    'stale  = mandatory window: the refresh failed, the still-unexpired value was served',
    'waited = the caller waited for a refresh whose retry succeeded: new credentials',
    'CODE   = the caller got a CredentialError with this code',
    'Every cell: no expired credentials returned, no unhandled rejection; except in fresh,',
    'the next call after the fault cleared and the back-off passed recovered new credentials.',
  ].join('\n')
}
