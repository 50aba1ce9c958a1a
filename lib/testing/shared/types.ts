import type { EmulatorFault } from './faults.js'

/**
 * What every emulator's request log records of a request, whatever else it records.
 *
 * @category testing
 * @since 0.2.0
 */
export type EmulatorRequestRecord = {
  /** The operation: the STS `Action` (any string the client sent), `AssumeRoleWithCertificate`, `DescribeEndpoint`, `CreateSession`. */
  readonly action: string
  /** The URL path, without the query string. */
  readonly path: string
  /** The server clock (epoch ms, with any skew set) when the request arrived. */
  readonly time: number
  /** The HTTP status answered (0 for a reset connection). */
  status: number
}

/**
 * The controls the three emulators share.
 *
 * @category testing
 * @since 0.2.0
 */
export type EmulatorControls<F extends EmulatorFault = EmulatorFault> = {
  /** Adds a fault ({@link EmulatorFault}); faults are matched in the order injected. */
  readonly fault: (fault: F) => void
  /** Removes every pending fault, forgets the recorded requests and counters, and resets `peakInFlight()` to `inFlight()`. */
  readonly reset: () => void
  /** How many requests the emulator is handling now (received, not yet answered). */
  readonly inFlight: () => number
  /** The most requests it handled at once since it started or since `reset()`. */
  readonly peakInFlight: () => number
}
