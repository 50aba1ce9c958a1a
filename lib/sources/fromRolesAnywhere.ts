import type { X509KeyOptions } from './x509/keyKind.js'
import { readPem, type MaterialInput } from './x509/readMaterial.js'
import type { AwsCredentialIdentity, CredentialSource, SourceContext } from '../types.js'
import { deadline } from './rolesAnywhere/deadline.js'
import { readSigningMaterial } from './rolesAnywhere/material.js'
import { checkOptions, SOURCE } from './rolesAnywhere/options.js'
import { isCredentialError } from '../errors.js'
import { checkLogger, logTo, type Logger } from '../internal/sdkLogger.js'

/**
 * The options of {@link fromRolesAnywhere} that do not depend on where the key is.
 *
 * @category sources
 * @since 0.2.0
 */
export type RolesAnywhereCommonOptions = {
  /** The trust anchor holding the certificate's CA, `arn:aws:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID`. */
  readonly trustAnchorArn: string
  /** The profile naming the roles, `arn:aws:rolesanywhere:REGION:ACCOUNT:profile/ID` (same region). */
  readonly profileArn: string
  /** The role to assume; must be in the profile and trust `rolesanywhere.amazonaws.com`. */
  readonly roleArn: string
  /** Intermediate CA certificates (PEM bundle: text, path or Buffer), sent as `X-Amz-X509-Chain`. @default none */
  readonly intermediates?: MaterialInput | undefined
  /** The signing region. @default the region inside `trustAnchorArn` */
  readonly region?: string
  /** `https://host[:port]` (or a bare host); `http://` only to a loopback host, for tests. @default `https://rolesanywhere.REGION.amazonaws.com` */
  readonly endpoint?: string
  /** Lifetime of the credentials, 900-43200 and at most the profile's duration. @default 3600 */
  readonly durationSeconds?: number
  /** The role session name, 2-64 of `[\w+=,.@-]`. @default chosen by the service (the certificate's serial) */
  readonly roleSessionName?: string
  /** Deadline of one call: connect, TLS and answer. @default 10000 */
  readonly timeoutMs?: number
  /** Trusted CAs for the HTTPS endpoint (PEM text, path or Buffer); replaces Node's roots, which hold Amazon's. @default Node's roots */
  readonly ca?: MaterialInput
  /** Clock of the request date (`X-Amz-Date`) and of the expiry check. @default Date.now */
  readonly now?: () => number
  /**
   * The SDK's `Logger` (`console` works): each CreateSession at debug, failures at warn, never
   * a secret.
   * @default the calling client's logger, else none
   * @since 0.2.0
   */
  readonly logger?: Logger | undefined
}

/**
 * Options of {@link fromRolesAnywhere}: the common options plus exactly one key:
 * `certificate` + `privateKey` (PEM, maybe encrypted under `passphrase`) or `pfx` (PKCS#12),
 * whose certificate is sent unless `certificate` is given too (it must belong to the
 * bundle's key). A string holding `-----BEGIN` is PEM text, any other string a file path, a
 * Buffer the bytes. `pkcs11` is accepted by the type for the shape of `fromIotCertificate`,
 * and refused for now.
 *
 * @category sources
 * @since 0.2.0
 */
export type FromRolesAnywhereOptions = RolesAnywhereCommonOptions &
  (
    | Exclude<X509KeyOptions, { readonly pfx: MaterialInput }>
    | {
        /** PKCS#12 bundle (path or Buffer) holding the private key, and the certificate unless `certificate` is given. */
        readonly pfx: MaterialInput
        /** The end-entity certificate to send; must belong to the bundle's key. @default the bundle's certificate */
        readonly certificate?: MaterialInput | undefined
        /** Passphrase of the bundle. @default none */
        readonly passphrase?: string | undefined
        readonly privateKey?: undefined
        readonly pkcs11?: undefined
      }
  )

/**
 * A source of AWS credentials from an X.509 certificate through IAM Roles Anywhere
 * `CreateSession`, for workloads outside AWS. Un-cached: every call creates a session; put
 * `withRefresh` after it. The certificate, key and chain are read and checked once, at
 * construction; each call signs a new request (`POST /sessions`, signed as "IAM Roles
 * Anywhere authentication signing process" describes, `AWS4-X509-RSA-SHA256` or
 * `AWS4-X509-ECDSA-SHA256`) on its own connection, or, called by an SDK client and without
 * a `ca` of its own, through that client's `requestHandler` (its agent, proxy and trusted
 * CAs), as the SDK's `fromTemporaryCredentials` inherits it; the calling client's `logger`
 * is used when `logger` is not given. The caller's `userAgentAppId` and `profile` are not
 * used: the request carries no SDK User-Agent and reads no profile. TLS peer verification is
 * always on.
 *
 * @throws CredentialError at construction, before any I/O, `InvalidConfiguration` for a bad
 *   option, an unreadable file, an undecryptable key (wrong passphrase), a key that does not
 *   belong to the certificate, a key type other than RSA or EC P-256/P-384, or `pkcs11`
 *   (not supported yet). From a call: `RolesAnywhereRejected` (with `statusCode` and the
 *   service's message: untrusted or expired certificate, bad signature or clock, role not in
 *   the profile, duration too long), `Throttled` and `ServiceUnavailable` (429, 5xx) and
 *   `NetworkError` (retryable), `TlsError`, `Timeout` after `timeoutMs`, `Aborted` from
 *   `context.signal`, `InvalidCredentials` for a malformed answer, `Expired` for an
 *   already-expired one. No message holds key material, a passphrase or a credential.
 * @example
 * ```ts
 * const credentials = pipe(
 *   fromRolesAnywhere({
 *     trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
 *     profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/1b2c3d4e-5f60-789a-bcde-f0123456789a',
 *     roleArn: 'arn:aws:iam::123456789012:role/on-prem-backup',
 *     certificate: '/etc/pki/backup.crt',
 *     privateKey: '/etc/pki/backup.key',
 *   }),
 *   withRefresh(),
 * )
 * const s3 = new S3Client({ region: 'eu-west-1', credentials })
 * ```
 * @category sources
 * @since 0.2.0
 */
export const fromRolesAnywhere = (options: FromRolesAnywhereOptions): CredentialSource => {
  const checked = checkOptions(options)
  const material = readSigningMaterial(options)
  const ca = options.ca === undefined ? undefined : readPem(SOURCE, 'ca', options.ca)
  const now = options.now ?? Date.now
  const query = { profileArn: checked.profileArn, roleArn: checked.roleArn, trustAnchorArn: checked.trustAnchorArn }
  const path = `/sessions?${new URLSearchParams(query).toString().replace(/\+/g, '%20')}`
  const body = JSON.stringify({
    durationSeconds: checked.durationSeconds,
    ...(checked.roleSessionName !== undefined ? { roleSessionName: checked.roleSessionName } : {}),
  })
  const logger = checkLogger(SOURCE, options.logger)
  const request = { material, target: checked.target, region: checked.region, query, path, body, ca, now }
  const fromRolesAnywhereSource = async (context?: SourceContext): Promise<AwsCredentialIdentity> => {
    const caller = context?.callerClientConfig
    const log = logger ?? caller?.logger
    const { signal, dispose } = deadline(checked.timeoutMs, context?.signal)
    try {
      // The signer, node:http/https and the decoder load at the first call, not with the root entry.
      const { callerHandler, createSession } = await import('./rolesAnywhere/createSession.js')
      const handler = callerHandler(request, caller?.requestHandler)
      const via = handler === undefined ? '' : " through the calling client's request handler"
      logTo(log, 'debug', `${SOURCE}: CreateSession for ${checked.roleArn} at ${checked.target.host}${via}`)
      return await createSession(request, signal, handler)
    } catch (e) {
      logTo(log, 'warn', `${SOURCE}: ${isCredentialError(e) ? `${e.code}: ${e.message}` : 'the call failed'}`)
      throw e
    } finally {
      dispose()
    }
  }
  return fromRolesAnywhereSource
}
