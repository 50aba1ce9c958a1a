import { createServer } from 'node:http'
import { newTotpSecret } from '../internal/otp.js'
import { serveEmulator } from './shared/serveEmulator.js'
import { loadPeer } from '../internal/loadPeer.js'
import { createKeyStore, randomId, randomSecret } from './sts/keys.js'
import type { MfaDevice } from './sts/mfa.js'
import type { StsEmulator, StsEmulatorRequest, StsEmulatorRole } from './sts/types.js'

export type {
  StsAction,
  StsEmulator,
  StsEmulatorFault,
  StsEmulatorRequest,
  StsEmulatorRole,
  StsFault,
} from './sts/types.js'

/**
 * Options of {@link startStsEmulator}.
 *
 * @category testing
 * @since 0.1.0
 */
export type StsEmulatorOptions = {
  /** The region clients should sign for (any region's signature is accepted). @default 'us-east-1' */
  readonly region?: string
  /** The account of the base user and the roles. @default '123456789012' */
  readonly accountId?: string
  /** The base IAM user's name. @default 'emulator-user' */
  readonly userName?: string
  /** The base user's long-term key. @default a random `AKIA…` key */
  readonly baseCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string }
  /** The roles. @default one role `arn:aws:iam::ACCOUNT:role/emulator-role`, no MFA, anyone may assume */
  readonly roles?: readonly StsEmulatorRole[]
  /**
   * The base user's MFA device (TOTP, SHA-1, 6 digits). `periodSeconds` may be shorter than
   * AWS's 30 s for fast demos (give `totp()` the same). @default serial
   * `arn:aws:iam::ACCOUNT:mfa/USER`, a random secret, 30 s steps
   */
  readonly mfa?: { readonly serialNumber?: string; readonly secret?: string; readonly periodSeconds?: number }
  /**
   * Lifetime of every issued credential, overriding `DurationSeconds`. May be below the
   * 900 s floor for fast tests and demos: **real STS never issues credentials shorter
   * than 15 minutes.** @default the request's `DurationSeconds` (or STS's default)
   */
  readonly credentialLifetimeSeconds?: number
  /** The server clock, in epoch ms. @default Date.now */
  readonly now?: () => number
  /** Allowed distance between a request's `X-Amz-Date` and the server clock. @default 300000 (5 min, as STS) */
  readonly maxSkewMs?: number
  /** Decides whether a web identity token is valid. @default every token of 4–20000 characters */
  readonly verifyWebIdentityToken?: (token: string) => boolean
}

/** The emulator's account, user, roles and MFA device, with the documented defaults. */
const identities = (options: StsEmulatorOptions) => {
  const accountId = options.accountId ?? '123456789012'
  const userName = options.userName ?? 'emulator-user'
  const mfa: MfaDevice = {
    serialNumber: options.mfa?.serialNumber ?? `arn:aws:iam::${accountId}:mfa/${userName}`,
    secret: options.mfa?.secret ?? newTotpSecret(),
    periodSeconds: options.mfa?.periodSeconds ?? 30,
  }
  return {
    accountId,
    userArn: `arn:aws:iam::${accountId}:user/${userName}`,
    baseCredentials: options.baseCredentials ?? { accessKeyId: randomId('AKIA'), secretAccessKey: randomSecret() },
    roles: options.roles ?? [{ arn: `arn:aws:iam::${accountId}:role/emulator-role` }],
    mfa,
  }
}

/**
 * Starts a local STS endpoint on 127.0.0.1 and an ephemeral port, speaking the AWS Query
 * protocol: AssumeRole, GetSessionToken, AssumeRoleWithWebIdentity (unsigned) and
 * GetCallerIdentity. It verifies the SigV4 signature of every signed request against the
 * keys it knows (the base user's and every session key it issued), refuses unknown keys
 * (`InvalidClientTokenId`), bad signatures and a clock skew over 5 minutes
 * (`SignatureDoesNotMatch`), and expired session keys (`ExpiredToken`); checks MFA codes
 * as TOTP against the configured secret and refuses a code already used. Faults can be
 * injected (see {@link EmulatorFault}). It caches nothing across emulators; each has its own keys.
 *
 * Differences from AWS: no IAM policies beyond each role's `principals`; tags, policies and
 * external ids are recorded but not evaluated; lifetimes below 900 s are allowed.
 *
 * @throws when the port cannot be bound.
 * @example
 * ```ts
 * const sts = await startStsEmulator({ roles: [{ arn: 'arn:aws:iam::123456789012:role/app', mfaRequired: true }] })
 * const source = fromAssumeRole({ RoleArn: sts.roleArns[0]! }, {
 *   source: async () => sts.baseCredentials,
 *   clientConfig: { endpoint: sts.endpoint, region: sts.region },
 * })
 * sts.fault({ kind: 'throttle', action: 'AssumeRole', count: 2 })
 * await sts.close()
 * ```
 * @category testing
 * @since 0.1.0
 */
export const startStsEmulator = async (options: StsEmulatorOptions = {}): Promise<StsEmulator> => {
  const { accountId, userArn, baseCredentials, roles, mfa } = identities(options)
  // SigV4 checks and XML answers need two packages that @aws-sdk/client-sts brings: loaded at start.
  const { createHandler } = await loadPeer<typeof import('./sts/handler.js')>('@smithy/signature-v4', {
    source: 'startStsEmulator',
    purpose: 'the STS emulator',
    with: ['@aws-sdk/xml-builder'],
    load: () => import('./sts/handler.js'),
  })
  const { port, controls } = await serveEmulator<StsEmulatorRequest>(options, (state) =>
    createServer(
      createHandler({
        ...state,
        accountId,
        roles: new Map(roles.map((r) => [r.arn, r])),
        mfaDevices: [mfa],
        usedCodes: new Map(),
        keys: createKeyStore({ ...baseCredentials, arn: userArn, userId: randomId('AIDA') }),
        credentialLifetimeSeconds: options.credentialLifetimeSeconds,
        verifyWebIdentityToken: options.verifyWebIdentityToken ?? (() => true),
      }),
    ),
  )
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: options.region ?? 'us-east-1',
    accountId,
    userArn,
    baseCredentials,
    roleArns: roles.map((r) => r.arn),
    mfa,
    ...controls,
  }
}
