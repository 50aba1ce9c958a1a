import { CredentialError } from '../../errors.js'
import { redact } from '../../internal/redact.js'

// OpenSSL's and Node's TLS error codes (certificate verification, handshake, key usage).
const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|UNABLE_TO_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED)/

/** @internal Where a request went and what to check when TLS fails, for {@link networkError}. */
export type NetworkErrorContext = {
  /** The source name the error carries. */
  readonly source: string
  /** The endpoint as the message shows it, e.g. `host:443`. */
  readonly where: string
  /** The advice after a TLS failure, e.g. `check ca and the endpoint name`. */
  readonly tlsHint: string
}

/**
 * @internal Maps a socket or TLS error of a request over node:https to `TlsError` (with
 * OpenSSL's code and its redacted reason) or a retryable `NetworkError`; a CredentialError
 * passes as is.
 */
export const networkError = (e: unknown, c: NetworkErrorContext): CredentialError => {
  if (e instanceof CredentialError) return e
  const { source, where } = c
  const code = String((e as { code?: unknown } | null)?.code ?? 'unknown')
  const message = (e as { message?: unknown } | null)?.message
  const reason = typeof message === 'string' ? redact(message) : ''
  return TLS_CODE.test(code)
    ? new CredentialError(`${source}: TLS with ${where} failed: ${code} (${reason}); ${c.tlsHint}`, {
        code: 'TlsError',
        source,
        cause: e,
      })
    : new CredentialError(`${source}: cannot reach ${where}: ${code} (${reason})`, {
        code: 'NetworkError',
        source,
        cause: e,
        retryable: true,
      })
}
