import { randomUUID, X509Certificate } from 'node:crypto'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createTestCertificateAuthority } from './createTestCertificateAuthority.js'
import { createHandler } from './rolesAnywhere/handler.js'
import { createPki, issuer } from './rolesAnywhere/pki.js'
import type { ProfileState } from './rolesAnywhere/session.js'
import type {
  RolesAnywhereEmulator,
  RolesAnywhereEmulatorProfile,
  RolesAnywhereEmulatorRequest,
} from './rolesAnywhere/types.js'
import { serveEmulator } from './shared/serveEmulator.js'

export type {
  RolesAnywhereCertificate,
  RolesAnywhereCertificateOptions,
  RolesAnywhereEmulator,
  RolesAnywhereEmulatorProfile,
  RolesAnywhereEmulatorRequest,
  RolesAnywhereFault,
} from './rolesAnywhere/types.js'

/**
 * Options of {@link startRolesAnywhereEmulator}.
 *
 * @category testing
 * @since 0.2.0
 */
export type RolesAnywhereEmulatorOptions = {
  /** The region of the trust anchor and profiles. @default 'us-east-1' */
  readonly region?: string
  /** @default '123456789012' */
  readonly accountId?: string
  /** The profiles. @default one profile with the role `arn:aws:iam::ACCOUNT:role/roles-anywhere-role`, 3600 s */
  readonly profiles?: readonly RolesAnywhereEmulatorProfile[]
  /**
   * Lifetime of every issued credential, overriding `durationSeconds`. May be below 900 s
   * for fast tests and demos: **the real service never issues credentials shorter than 15 minutes.**
   * @default the request's `durationSeconds`
   */
  readonly credentialLifetimeSeconds?: number
  /** The server clock, in epoch ms. @default Date.now */
  readonly now?: () => number
  /** Allowed distance between `X-Amz-Date` and the server clock. @default 300000 (5 min, as SigV4) */
  readonly maxSkewMs?: number
  /** Serve HTTPS with a certificate for 127.0.0.1 and localhost from its own test CA (`serverCa`). @default false (plain HTTP) */
  readonly tls?: boolean
}

const profileStates = (
  region: string,
  accountId: string,
  profiles: readonly RolesAnywhereEmulatorProfile[] | undefined,
): Map<string, ProfileState> =>
  new Map(
    (profiles ?? [{}]).map((p) => [
      `arn:aws:rolesanywhere:${region}:${accountId}:profile/${randomUUID()}`,
      {
        roleArns: p.roleArns ?? [`arn:aws:iam::${accountId}:role/roles-anywhere-role`],
        durationSeconds: p.durationSeconds ?? 3600,
        acceptRoleSessionName: p.acceptRoleSessionName ?? true,
      },
    ]),
  )

/** A server certificate for 127.0.0.1 and localhost, and its own test CA. */
const serverTls = async (): Promise<{ key: string; cert: string; ca: string }> => {
  const ca = await createTestCertificateAuthority('Roles Anywhere emulator server CA')
  const cert = await ca.issue({
    commonName: 'localhost',
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  })
  return { key: cert.privateKey, cert: cert.certificate, ca: ca.certificate }
}

/**
 * Starts a loopback IAM Roles Anywhere endpoint (127.0.0.1, ephemeral port) answering
 * `POST /sessions` (CreateSession) as the service does: it checks the signature with the
 * public key of the `X-Amz-X509` certificate, the chain (`X-Amz-X509-Chain`) to the trust
 * anchor's CA, the validity dates, the 5-minute clock window, that the trust anchor and profile
 * exist, that the role is in the profile and the duration within the profile's; success is 201
 * with `credentialSet`. Generates a test PKI at start (root = the trust anchor, an intermediate,
 * an untrusted CA; ECDSA P-256 CAs, leaves RSA or EC) and a ready workload certificate. Faults
 * as in the other emulators ({@link EmulatorFault}). Refusal wordings other than
 * "Untrusted signing certificate" and "Not authorized to set roleSessionName." are assumed.
 *
 * @throws when the port cannot be bound.
 * @example
 * ```ts
 * const ra = await startRolesAnywhereEmulator()
 * const source = fromRolesAnywhere({ endpoint: ra.endpoint, trustAnchorArn: ra.trustAnchorArn, profileArn: ra.profileArn,
 *   roleArn: ra.roleArn, certificate: ra.certificate.certificate, privateKey: ra.certificate.privateKey, intermediates: ra.certificate.intermediates })
 * ra.fault({ kind: 'throttle', count: 2 })
 * await ra.close()
 * ```
 * @category testing
 * @since 0.2.0
 */
export const startRolesAnywhereEmulator = async (
  options: RolesAnywhereEmulatorOptions = {},
): Promise<RolesAnywhereEmulator> => {
  const region = options.region ?? 'us-east-1'
  const accountId = options.accountId ?? '123456789012'
  const pki = await createPki()
  const issueCertificate = issuer(pki)
  const trustAnchorArn = `arn:aws:rolesanywhere:${region}:${accountId}:trust-anchor/${randomUUID()}`
  const profiles = profileStates(region, accountId, options.profiles)
  const tls = options.tls === true ? await serverTls() : undefined
  const { port, controls } = await serveEmulator<RolesAnywhereEmulatorRequest>(options, (state) => {
    const handler = createHandler({
      ...state,
      accountId,
      trustAnchorArn,
      profiles,
      anchor: new X509Certificate(pki.root.certificate),
      credentialLifetimeSeconds: options.credentialLifetimeSeconds,
    })
    return tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler)
  })
  const [first] = profiles
  return {
    endpoint: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    region,
    accountId,
    trustAnchorArn,
    profileArns: [...profiles.keys()],
    profileArn: first![0],
    roleArn: first![1].roleArns[0]!,
    rootCa: pki.root.certificate,
    serverCa: tls?.ca,
    certificate: await issueCertificate(),
    issueCertificate,
    ...controls,
  }
}
