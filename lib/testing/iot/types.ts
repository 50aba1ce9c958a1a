import type { TestCertificate } from '../createTestCertificateAuthority.js'
import type { IotRecordedDiscovery } from './discovery.js'
import type { IotRecordedRequest } from './credentials.js'
import type { IotEmulatorFault, IotFault } from './faults.js'
import type { EmulatorControls } from '../shared/types.js'

/**
 * A role alias of the emulator.
 * Unlike real IoT (900–43200 s), `credentialDurationSeconds` may be as low as 1, so tests can
 * watch credentials expire; a duration header from the client is still held to 900–43200.
 *
 * @category testing
 * @since 0.1.0
 */
export type IotRoleAliasOptions = {
  /** Lifetime of credentials issued without a duration header. @default 3600 */
  readonly credentialDurationSeconds?: number
  /** The role's MaxSessionDuration; a longer requested duration is answered 400. @default 3600 */
  readonly maxSessionDurationSeconds?: number
  /** false makes IoT fail to assume the role (400). @default true */
  readonly assumable?: boolean
}

/**
 * A device certificate to create on the emulator.
 *
 * @category testing
 * @since 0.1.0
 */
export type IotDeviceOptions = {
  /** Things attached to the certificate (accepted in `x-amzn-iot-thingname`). @default [] */
  readonly things?: readonly string[]
  /** false: a certificate of the emulator's CA that IoT does not know (403). @default true */
  readonly registered?: boolean
  /** Role aliases the certificate's policy allows (others: 403 Access Denied). @default all */
  readonly roleAliases?: readonly string[]
  /** true: issued by another CA, which the emulator does not trust (403). @default false */
  readonly foreignCa?: boolean
}

/**
 * A device certificate and key (PEM) with the things attached to it.
 *
 * @category testing
 * @since 0.1.0
 */
export type IotDevice = TestCertificate & { readonly things: readonly string[] }

/**
 * Paths of a device's files, written by `IotEmulator.writeFiles`.
 *
 * @category testing
 * @since 0.1.0
 */
export type IotDeviceFiles = {
  readonly certificatePath: string
  readonly privateKeyPath: string
  readonly caPath: string
}

/**
 * A running IoT emulator; see {@link startIotEmulator}.
 *
 * @category testing
 * @since 0.1.0
 */
export type IotEmulator = EmulatorControls<IotEmulatorFault> & {
  /** `https://127.0.0.1:PORT`: usable as `endpoint` as is (no SNI is sent to an IP). */
  readonly endpoint: string
  /** `PREFIX.credentials.iot.REGION.amazonaws.com`, in the server certificate: use as `endpoint` with `connectTo: address`. */
  readonly hostName: string
  /** Where the credentials listener is: `{ host: '127.0.0.1', port }`. */
  readonly address: { readonly host: string; readonly port: number }
  readonly region: string
  /** The emulator's CA certificate, PEM: pass as `ca`. */
  readonly ca: string
  /** A registered device with the things of `options.things`. */
  readonly device: IotDevice
  /** DescribeEndpoint (plain HTTP, SigV4 service `iot`): give `endpoint`, `region`, `credentials` to an `IoTClient`. */
  readonly discovery: {
    readonly endpoint: string
    readonly region: string
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  }
  /** Every credential request, in arrival order. */
  readonly requests: readonly IotRecordedRequest[]
  /** Every DescribeEndpoint call, in arrival order. */
  readonly discoveryRequests: readonly IotRecordedDiscovery[]
  /** TCP connections accepted and TLS handshakes completed by the credentials listener. */
  readonly stats: { readonly connections: number; readonly tlsHandshakes: number }
  readonly createDevice: (options?: IotDeviceOptions) => Promise<IotDevice>
  /** Writes a device's certificate, key (encrypted under `passphrase` if given) and the CA to a temp dir that `close()` removes. */
  readonly writeFiles: (device: TestCertificate, options?: { readonly passphrase?: string }) => IotDeviceFiles
  readonly setRoleAlias: (name: string, options?: IotRoleAliasOptions) => void
  /** Adds a fault of 0.1.0's vocabulary. @deprecated since 0.2.0: use `fault({ kind, ... })`; removed in the next release. */
  readonly inject: (fault: IotFault) => void
  readonly close: () => Promise<void>
}
