import { abortable } from '../internal/abortable.js'
import { callDeadline } from '../internal/callDeadline.js'
import type { IotDiscoveryClientConfig } from './iot/iotDiscovery.js'
import { fallbackWarning } from '../internal/regionChain.js'
import { checkCommon, toTarget, type IotTarget } from './iot/iotOptions.js'
import { buildSecureContext } from './x509/buildSecureContext.js'
import { keyKind, type Pkcs11Settings, type X509KeyOptions } from './x509/keyKind.js'
import { readBinary, readPem, type MaterialInput } from './x509/readMaterial.js'
import { lazyTransport, type IotTransport } from './iot/iotTransport.js'
import { checkLogger, logTo, type Logger } from '../internal/sdkLogger.js'
import { isCredentialError } from '../errors.js'
import { guarded, requireFunction, snapshot } from '../internal/validate.js'

const SOURCE = 'fromIotCertificate'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, CredentialSource, SourceContext } from '../types.js'

/**
 * A private key in an HSM or smart card, used through PKCS#11 (needs the `aws-crt` package).
 *
 * @category sources
 * @since 0.1.0
 */
export type IotPkcs11Options = Pkcs11Settings

/**
 * The options of {@link fromIotCertificate} that do not depend on where the key is.
 *
 * @category sources
 * @since 0.1.0
 */
export type IotCommonOptions = {
  /** `host`, `host:port` or `https://host[:port]`. @default discovered once with IoT DescribeEndpoint (`iot:CredentialProvider`) */
  readonly endpoint?: string
  /**
   * Region of the discovery call.
   * @default `discoveryClientConfig.region`, the calling client's region, the SDK's region chain
   * (`AWS_REGION`, the profile's `region`), then `us-east-1` (logged once at warn)
   */
  readonly region?: string
  /** The IoT role alias, 1-128 of `[\w=,@-]`. */
  readonly roleAlias: string
  /** Sent as `x-amzn-iot-thingname`; must be a thing attached to the certificate. @default not sent */
  readonly thingName?: string
  /**
   * Sent as `x-amzn-iot-credential-duration-seconds`: 900-43200 and at most the role's
   * MaxSessionDuration. Lower values are refused at construction, as IoT refuses them; for
   * short-lived credentials in tests, give the emulator's role alias a short `credentialDurationSeconds`.
   * @default not sent: the role alias's duration (3600 unless set)
   */
  readonly durationSeconds?: number
  /** Trusted CAs (PEM text, path or Buffer); replaces Node's roots, which already hold Amazon's. @default Node's roots */
  readonly ca?: MaterialInput
  /** Deadline of a whole call: discovery, connect, TLS and answer. @default 10000 */
  readonly timeoutMs?: number
  /** Connect to this address instead; SNI, the certificate check and `host` still use the endpoint's name (tests, tunnels). @default the endpoint */
  readonly connectTo?: { readonly host: string; readonly port?: number }
  /** Credentials of the DescribeEndpoint call. @default the SDK's default chain */
  readonly discovery?: AwsCredentialIdentityProvider
  /** Extra config of the private discovery IoTClient (endpoint, requestHandler, ...). @default none */
  readonly discoveryClientConfig?: IotDiscoveryClientConfig
  /** Clock used to reject already-expired answers. @default Date.now */
  readonly now?: () => number
  /**
   * The SDK's `Logger` (`console` works): calls at debug, failures at warn, never a secret;
   * the private discovery IoTClient logs through it too (without command input and output).
   * @default `discoveryClientConfig.logger`, the calling client's logger, else none
   * @since 0.2.0
   */
  readonly logger?: Logger
}

/**
 * Options of {@link fromIotCertificate}: the common options plus exactly one key, as
 * `certificate` + `privateKey` (PEM), `pfx` (PKCS#12) or `certificate` + `pkcs11` (HSM).
 * A string holding `-----BEGIN` is PEM text, any other string a file path, a Buffer PEM bytes.
 *
 * @category sources
 * @since 0.1.0
 */
export type FromIotCertificateOptions = IotCommonOptions & X509KeyOptions

const transportFor = (o: FromIotCertificateOptions, timeoutMs: number): IotTransport => {
  const kind = keyKind(SOURCE, o)
  const ca = o.ca === undefined ? undefined : readPem(SOURCE, 'ca', o.ca)
  if (kind === 'pkcs11') {
    const certificate = readPem(SOURCE, 'certificate', o.certificate!).toString('utf8')
    return lazyTransport(async () =>
      (await import('./iot/iotPkcs11.js')).pkcs11Transport(o.pkcs11!, certificate, ca?.toString('utf8'), timeoutMs),
    )
  }
  const material =
    kind === 'pfx'
      ? { kind, pfx: readBinary(SOURCE, 'pfx', o.pfx!), passphrase: o.passphrase }
      : {
          kind,
          certificate: readPem(SOURCE, 'certificate', o.certificate!),
          privateKey: readPem(SOURCE, 'privateKey', o.privateKey!),
          passphrase: o.passphrase,
        }
  // The TLS context is built now, so a bad key fails at construction; the agent at the first call.
  const context = buildSecureContext(SOURCE, material, ca)
  return lazyTransport(async () => (await import('./iot/iotHttps.js')).httpsTransport(context))
}

const targetResolver = (
  o: FromIotCertificateOptions,
  timeoutMs: number,
): ((context?: SourceContext) => Promise<IotTarget>) => {
  if (o.endpoint !== undefined) {
    const fixed = Promise.resolve(toTarget(o.endpoint, o.connectTo))
    return () => fixed
  }
  let discovered: Promise<IotTarget> | undefined
  const warnFallback = fallbackWarning('fromIotCertificate')
  return (context) => {
    const pending = (discovered ??= import('./iot/iotDiscovery.js')
      .then(({ discoverEndpoint }) =>
        discoverEndpoint({
          region: o.region,
          credentials: o.discovery,
          clientConfig: o.discoveryClientConfig,
          timeoutMs,
          logger: o.logger,
          caller: context?.callerClientConfig,
          warnFallback,
        }),
      )
      .then((host) => toTarget(host, o.connectTo)))
    // A failed discovery is not cached: the next call asks again.
    pending.catch(() => {
      if (discovered === pending) discovered = undefined
    })
    return pending
  }
}

const requestHeaders = (
  thingName: string | undefined,
  durationSeconds: number | undefined,
): Record<string, string> => ({
  accept: 'application/json',
  ...(thingName !== undefined ? { 'x-amzn-iot-thingname': thingName } : {}),
  ...(durationSeconds !== undefined ? { 'x-amzn-iot-credential-duration-seconds': String(durationSeconds) } : {}),
})

/**
 * A source of AWS credentials for an IoT device: the AWS IoT Core credentials provider
 * (`GET /role-aliases/{roleAlias}/credentials` over mutual TLS with the device's X.509
 * certificate). Un-cached: every call asks IoT; put `withRefresh` after it.
 *
 * Caches per source: the TLS context (built at construction), one keep-alive HTTPS agent
 * (reused across refreshes, one handshake for many calls) and the discovered endpoint
 * (one DescribeEndpoint, loading `@aws-sdk/client-iot` only then; a failure is not cached).
 * With `pkcs11` the request goes through `aws-crt` (loaded on first use), whose PKCS#11
 * library and TLS context are kept and whose connections are closed after each call.
 * `close()` releases the agent (and PKCS#11 library); later calls still work, each on its
 * own connection. Peer verification is always on; SNI carries the endpoint's host name
 * (none for an IP literal). With `pkcs11`, a TLS failure shows as `Timeout`: aws-crt's TLS
 * (s2n) delays reporting a failed handshake by 10-30 s on purpose, and its native
 * connection keeps the process alive that long.
 *
 * @throws CredentialError at construction, before any network I/O, `InvalidConfiguration`
 *   for a bad option, an unreadable file, an undecryptable key (wrong passphrase) or a key
 *   that does not match the certificate. From a call: `IotRejected` (with `statusCode`
 *   and IoT's message), `Throttled`, `ServiceUnavailable` and `NetworkError` (retryable),
 *   `TlsError` (with the TLS reason, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`), `Timeout`
 *   after `timeoutMs`, `Aborted` from `context.signal`, `InvalidCredentials` for a
 *   malformed answer, `Expired` for an already-expired one, `InvalidConfiguration` for a
 *   refused PKCS#11 PIN, token or key label. No message holds key material, a passphrase,
 *   a PIN or a credential.
 * @example
 * ```ts
 * const credentials = pipe(
 *   fromIotCertificate({
 *     endpoint: 'c2example0abcd.credentials.iot.eu-west-1.amazonaws.com',
 *     roleAlias: 'pump-telemetry',
 *     thingName: 'pump-7',
 *     certificate: '/etc/iot/device.pem.crt',
 *     privateKey: '/etc/iot/private.pem.key',
 *   }),
 *   withRefresh(),
 * )
 * const s3 = new S3Client({ region: 'eu-west-1', credentials })
 * ```
 * @category sources
 * @since 0.1.0
 */
export const fromIotCertificate = (
  given: FromIotCertificateOptions,
): CredentialSource & { readonly close: () => void } => guarded(SOURCE, () => build(snapshot(SOURCE, 'options', given)))

const build = (options: FromIotCertificateOptions): CredentialSource & { readonly close: () => void } => {
  const { roleAlias, thingName, durationSeconds, timeoutMs } = checkCommon(options)
  requireFunction(SOURCE, 'now', options.now)
  const logger = checkLogger('fromIotCertificate', options.logger)
  const resolveTarget = targetResolver(options, timeoutMs)
  const transport = transportFor(options, timeoutMs)
  const now = options.now ?? Date.now
  const path = `/role-aliases/${roleAlias}/credentials`
  const headers = requestHeaders(thingName, durationSeconds)
  const fromIotCertificateSource = async (context?: SourceContext): Promise<AwsCredentialIdentity> => {
    const { signal, dispose } = callDeadline({
      source: SOURCE,
      timeoutMs,
      signal: context?.signal,
      timeoutMessage: `no answer from IoT within timeoutMs (${timeoutMs} ms)`,
    })
    try {
      const target = await abortable(resolveTarget(context), { signal })
      logTo(logger, 'debug', `fromIotCertificate: GET ${path} from ${target.host}`)
      const answer = await transport.request(target, path, headers, signal)
      // The answer's decoder (and fp-ts's Either) loads with the first answer, not with the package.
      const { decodeIotCredentials, rejection } = await import('./iot/iotResponse.js')
      if (answer.status !== 200) throw rejection(answer)
      return decodeIotCredentials(answer.body, now())
    } catch (e) {
      logTo(
        logger,
        'warn',
        `fromIotCertificate: ${isCredentialError(e) ? `${e.code}: ${e.message}` : 'the call failed'}`,
      )
      throw e
    } finally {
      dispose()
    }
  }
  return Object.assign(fromIotCertificateSource, { close: transport.close })
}
