import { CredentialError, isCredentialError } from '../errors.js'
import { describeError } from './redact.js'
import { isTransient } from './isTransient.js'

/**
 * Passes a {@link CredentialError} through; wraps anything else as `SourceFailed` with the
 * original as `cause` and a redacted summary in the message.
 * @internal
 */
export const toCredentialError = (e: unknown, source: string): CredentialError =>
  isCredentialError(e)
    ? e
    : new CredentialError(`${source}: ${describeError(e)}`, {
        code: 'SourceFailed',
        source,
        cause: e,
        retryable: isTransient(e),
      })
