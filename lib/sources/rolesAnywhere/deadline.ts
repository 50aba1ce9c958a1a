import { callDeadline } from '../../internal/callDeadline.js'
import { SOURCE } from './options.js'

/**
 * @internal One deadline per call (connect, TLS and answer), also ended by the caller's
 * `signal`. The signal's `reason` is the CredentialError to throw: `Timeout` or `Aborted`.
 */
export const deadline = (
  timeoutMs: number,
  outer: AbortSignal | undefined,
): { signal: AbortSignal; dispose: () => void } =>
  callDeadline({
    source: SOURCE,
    timeoutMs,
    signal: outer,
    timeoutMessage: `no answer from IAM Roles Anywhere within timeoutMs (${timeoutMs} ms)`,
  })
