import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestCertificateAuthority, type TestCertificate } from './createTestCertificateAuthority.js'
import type { IotRecordedRequest, IotRoleAliasState } from './iot/credentials.js'
import { createCredentialsServer } from './iot/credentialsServer.js'
import { deviceFactory, fileWriter, type Registry } from './iot/devices.js'
import type { IotRecordedDiscovery } from './iot/discovery.js'
import { loadPeer } from '../internal/loadPeer.js'
import type { IotEmulatorFault, IotFault } from './iot/faults.js'
import { serveEmulator } from './shared/serveEmulator.js'
import type { IotDevice, IotDeviceFiles, IotDeviceOptions, IotEmulator, IotRoleAliasOptions } from './iot/types.js'

export type {
  IotDevice,
  IotDeviceFiles,
  IotDeviceOptions,
  IotEmulator,
  IotEmulatorFault,
  IotFault,
  IotRecordedDiscovery,
  IotRecordedRequest,
  IotRoleAliasOptions,
  TestCertificate,
}

/**
 * Options of {@link startIotEmulator}.
 *
 * @category testing
 * @since 0.1.0
 */
export type IotEmulatorOptions = {
  /** @default 'us-east-1' */
  readonly region?: string
  /** The account-specific prefix of the endpoint host name. @default 'c2example0abcd' */
  readonly endpointPrefix?: string
  /** @default { 'device-role': {} } */
  readonly roleAliases?: Readonly<Record<string, IotRoleAliasOptions>>
  /** Things attached to the default `device`. @default ['device-1'] */
  readonly things?: readonly string[]
  /** The keys DescribeEndpoint requests must be signed with. @default `EMULATOR_DISCOVERY_CREDENTIALS` */
  readonly discoveryCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string }
  /** Clock for issued expirations and SigV4 skew checks. @default Date.now */
  readonly now?: () => number
}

/**
 * The default keys DescribeEndpoint requests must be signed with (test values, not secrets).
 *
 * @category testing
 * @since 0.1.0
 */
export const EMULATOR_DISCOVERY_CREDENTIALS = {
  accessKeyId: 'AKIAIOTEMULATOR00001',
  secretAccessKey: 'iot-emulator/discovery/secret/key/000001',
} as const

const aliasState = (o: IotRoleAliasOptions = {}): IotRoleAliasState => ({
  credentialDurationSeconds: o.credentialDurationSeconds ?? 3600,
  maxSessionDurationSeconds: o.maxSessionDurationSeconds ?? 3600,
  assumable: o.assumable ?? true,
})

/**
 * Starts a loopback AWS IoT Core credentials provider: an HTTPS server on 127.0.0.1 (ephemeral
 * port) with mutual TLS, answering `GET /role-aliases/ALIAS/credentials` as IoT does
 * (AWS IoT Core Developer Guide, "Authorizing direct calls to AWS services"), plus a plain-HTTP DescribeEndpoint listener (SigV4 verified) for discovery.
 *
 * Generates at start (ECDSA P-256, valid one day, nothing written to disk): a CA, a server
 * certificate for `localhost`, `127.0.0.1` and `IotEmulator.hostName`, and a registered
 * `device`. Like IoT, it asks for a client certificate but accepts the handshake without
 * one, then answers 403 "Certificate is invalid on this endpoint" to an unknown or
 * untrusted certificate. Answers: 404 unknown alias, 403 "Invalid thing name passed",
 * 403 "Access Denied", 400 role not assumable or duration too long, and injected faults.
 * The 429/5xx wordings are assumed. Keep-alive is on (so tests can count handshakes);
 * `close()` ends every connection, pending delay and temp file.
 *
 * @example
 * ```ts
 * const iot = await startIotEmulator({ things: ['pump-7'] })
 * const source = fromIotCertificate({ endpoint: iot.hostName, connectTo: iot.address, ca: iot.ca,
 *   certificate: iot.device.certificate, privateKey: iot.device.privateKey, roleAlias: 'device-role', thingName: 'pump-7' })
 * await source()
 * source.close?.(); await iot.close()
 * ```
 * @category testing
 * @since 0.1.0
 */
export const startIotEmulator = async (options: IotEmulatorOptions = {}): Promise<IotEmulator> => {
  const region = options.region ?? 'us-east-1'
  const prefix = options.endpointPrefix ?? 'c2example0abcd'
  const hostName = `${prefix}.credentials.iot.${region}.amazonaws.com`
  const nowMs = options.now ?? Date.now
  const reg: Registry = {
    ca: await createTestCertificateAuthority('AWS IoT emulator test CA'),
    devices: new Map(),
    foreign: undefined,
  }
  const server = await reg.ca.issue({
    commonName: hostName,
    usage: 'server',
    dnsNames: [hostName, 'localhost'],
    ipAddresses: ['127.0.0.1'],
  })
  const aliases = new Map(
    Object.entries(options.roleAliases ?? { 'device-role': {} }).map(([k, v]) => [k, aliasState(v)]),
  )
  const createDevice = deviceFactory(reg)
  const device = await createDevice({ things: options.things ?? ['device-1'] })
  const stats = { connections: 0, tlsHandshakes: 0 }
  const { port, controls } = await serveEmulator<IotRecordedRequest>({ now: nowMs }, (state) =>
    createCredentialsServer({ server, ca: reg.ca.certificate }, stats, {
      aliases,
      devices: reg.devices,
      nowMs,
      requests: state.requests,
      takeFault: (roleAlias, except) => state.faults.take({ action: 'AssumeRoleWithCertificate', roleAlias }, except),
      later: (ms, fn) => void state.sleep(ms).then(fn),
    }),
  )
  const credentials = options.discoveryCredentials ?? EMULATOR_DISCOVERY_CREDENTIALS
  const discoveryRequests: IotRecordedDiscovery[] = []
  // The discovery endpoint checks SigV4 with @smithy/signature-v4 (which @aws-sdk/client-sts brings): loaded at start.
  const { startDiscoveryServer } = await loadPeer<typeof import('./iot/discovery.js')>('@smithy/signature-v4', {
    source: 'startIotEmulator',
    purpose: 'the IoT emulator',
    load: () => import('./iot/discovery.js'),
  })
  const discovery = await startDiscoveryServer({ region, prefix, credentials, nowMs, recorded: discoveryRequests })
  let dir: string | undefined
  return {
    endpoint: `https://127.0.0.1:${port}`,
    hostName,
    address: { host: '127.0.0.1', port },
    region,
    ca: reg.ca.certificate,
    device,
    discovery: { endpoint: discovery.endpoint, region, credentials },
    requests: controls.requests,
    discoveryRequests,
    stats,
    createDevice,
    writeFiles: fileWriter(reg.ca.certificate, () => (dir ??= mkdtempSync(join(tmpdir(), 'iot-emulator-')))),
    setRoleAlias: (name, o) => void aliases.set(name, aliasState(o)),
    fault: controls.fault,
    inject: controls.inject,
    reset: () => {
      controls.reset()
      discoveryRequests.splice(0)
      stats.connections = 0
      stats.tlsHandshakes = 0
      discovery.resetPeak()
    },
    inFlight: () => controls.inFlight() + discovery.inFlight(),
    peakInFlight: () => controls.peakInFlight() + discovery.peakInFlight(),
    close: async () => {
      await Promise.all([controls.close(), discovery.close()])
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    },
  }
}
