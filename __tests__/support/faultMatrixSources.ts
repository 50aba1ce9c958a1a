// The five sources of the fault matrix, each behind one small harness: a fresh source per
// cell (so no cell sees another's STS client, agent or socket), a way to inject a fault for
// the next `count` requests, and a count of the requests that reached the service.
import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { fromCallable, type CallableCredentials } from '../../lib/sources/fromCallable'
import { fromIotCertificate } from '../../lib/sources/fromIotCertificate'
import { fromRolesAnywhere } from '../../lib/sources/fromRolesAnywhere'
import { fromSessionToken } from '../../lib/sources/fromSessionToken'
import { fromWebIdentity } from '../../lib/sources/fromWebIdentity'
import { createTestCertificateAuthority } from '../../lib/testing/createTestCertificateAuthority'
import type { EmulatorFault } from '../../lib/testing/shared/faults'
import { startIotEmulator, type IotDevice, type IotEmulator } from '../../lib/testing/startIotEmulator'
import { startRolesAnywhereEmulator, type RolesAnywhereEmulator } from '../../lib/testing/startRolesAnywhereEmulator'
import { startStsEmulator, type StsAction, type StsEmulator } from '../../lib/testing/startStsEmulator'
import type { CredentialSource, SourceContext } from '../../lib/types'
import { rolesAnywhereOptions } from './emulatorSources'
import { clientConfigFor } from './stsFixture'

export type SourceKind = 'assume-role' | 'session-token' | 'web-identity' | 'iot' | 'roles-anywhere' | 'callable'
export type FaultKind =
  | 'throttle'
  | '500'
  | '503'
  | 'delay'
  | 'reset'
  | 'malformed'
  | 'expired-creds'
  | 'ExpiredToken'
  | 'tls-server-ca'
  | 'tls-client-ca'

/** Every credential the harnesses hand out lives one hour. */
export const LIFETIME_SECONDS = 3600
/**
 * How long a `delay` fault holds an answer: past the end of the cell, so no delayed answer
 * can arrive before the short deadline however slow the machine. Every delay cell has an
 * emulator of its own, whose close() drops the held answers (the callable's delay stops at
 * the abort).
 */
export const DELAY_MS = 60_000

/** One cell's source and its fault switch. */
export type Harness = {
  readonly source: CredentialSource
  /** Makes the next `count` requests of this source fail with `fault` (`Infinity`: until `clear()`). */
  readonly inject: (fault: FaultKind, count: number) => void
  readonly clear: () => void
  /** Requests that reached the service (or the callable's function) so far. */
  readonly calls: () => number
  readonly close: () => Promise<void>
}

/** The emulators of one source kind, started once in `beforeAll`. */
export type Fixture = {
  /** `timeoutMs` is the source's own deadline (IoT); STS and callable cells add `withTimeout`. */
  readonly harness: (fault: FaultKind, timeoutMs: number) => Promise<Harness>
  readonly close: () => Promise<void>
}

/** A fault switch for faults no emulator can inject: counts down the faulted calls. */
const countdown = () => {
  let left = 0
  let fault: FaultKind | undefined
  return {
    set: (f: FaultKind, count: number) => {
      fault = f
      left = count
    },
    clear: () => {
      left = 0
    },
    take: (): FaultKind | undefined => {
      if (left <= 0) return undefined
      left--
      return fault
    },
  }
}

const STS_ACTION: Record<'assume-role' | 'session-token' | 'web-identity', StsAction> = {
  'assume-role': 'AssumeRole',
  'session-token': 'GetSessionToken',
  'web-identity': 'AssumeRoleWithWebIdentity',
}

/**
 * The faults every emulator injects, in the one vocabulary they share. Each emulator answers
 * `expiredToken` as its service answers expired credentials (STS ExpiredToken, or
 * InvalidIdentityToken for an unsigned web identity request; a 403 from IoT and Roles Anywhere).
 */
const EMULATOR_FAULTS: Readonly<Partial<Record<FaultKind, EmulatorFault>>> = {
  throttle: { kind: 'throttle' },
  '500': { kind: 'status', status: 500 },
  '503': { kind: 'status', status: 503 },
  delay: { kind: 'delay', ms: DELAY_MS },
  reset: { kind: 'reset' },
  malformed: { kind: 'malformed' },
  'expired-creds': { kind: 'expiredCredentials' },
  ExpiredToken: { kind: 'expiredToken' },
}

/** Injects a fault of the table into an emulator for the next `count` requests of `action`; false when no emulator can. */
const injectInto = <A extends string>(
  emulator: { readonly fault: (f: EmulatorFault & { readonly action: A }) => void },
  action: A,
  fault: FaultKind,
  count: number,
): boolean => {
  const injected = EMULATOR_FAULTS[fault]
  if (injected) emulator.fault({ ...injected, action, count })
  return injected !== undefined
}

const startSts = (now: () => number): Promise<StsEmulator> =>
  // A large skew allowance: the injected clock jumps an hour ahead of the SDK's signing clock.
  startStsEmulator({ now, credentialLifetimeSeconds: LIFETIME_SECONDS, maxSkewMs: 86_400_000 })

const stsSource = (kind: keyof typeof STS_ACTION, sts: StsEmulator): CredentialSource & { close: () => void } => {
  const options = { source: async () => sts.baseCredentials, clientConfig: clientConfigFor(sts) }
  if (kind === 'assume-role')
    return fromAssumeRole({ RoleArn: sts.roleArns[0]!, DurationSeconds: LIFETIME_SECONDS }, options)
  if (kind === 'session-token') return fromSessionToken({ DurationSeconds: LIFETIME_SECONDS }, options)
  return fromWebIdentity(
    { RoleArn: sts.roleArns[0]!, WebIdentityToken: 'web-identity-token' },
    { clientConfig: options.clientConfig },
  )
}

/**
 * STS sources. A `delay` cell gets an emulator of its own: the emulator's delayed handler
 * takes the next fault from the queue when it wakes, and it must not take the next cell's.
 */
export const stsFixture = async (kind: keyof typeof STS_ACTION, now: () => number): Promise<Fixture> => {
  const shared = await startSts(now)
  const action = STS_ACTION[kind]
  return {
    harness: async (fault) => {
      const sts = fault === 'delay' ? await startSts(now) : shared
      sts.reset()
      const source = stsSource(kind, sts)
      return {
        source,
        inject: (f, count) => {
          if (!injectInto(sts, action, f, count)) throw new Error(`the STS emulator cannot inject ${f}`)
        },
        clear: () => sts.reset(),
        calls: () => sts.requests.filter((r) => r.action === action).length,
        close: async () => {
          source.close()
          if (sts !== shared) await sts.close()
        },
      }
    },
    close: () => shared.close(),
  }
}

/**
 * The IoT credentials provider. TLS faults cannot be injected into a running server, so
 * the harness switches, for the faulted calls, to a source that trusts another CA (the
 * server's certificate fails verification) or that presents a device certificate of
 * another CA (IoT accepts the handshake and answers 403, as the real service does).
 */
export const iotFixture = async (now: () => number): Promise<Fixture> => {
  const iot: IotEmulator = await startIotEmulator({
    now,
    roleAliases: { 'device-role': { credentialDurationSeconds: LIFETIME_SECONDS } },
  })
  const [otherCa, foreign]: [string, IotDevice] = await Promise.all([
    createTestCertificateAuthority('another CA').then((ca) => ca.certificate),
    iot.createDevice({ foreignCa: true }),
  ])
  return {
    harness: async (fault, timeoutMs) => {
      // As with STS, a `delay` cell gets an emulator of its own: closing it drops the held answers.
      const own =
        fault === 'delay'
          ? await startIotEmulator({
              now,
              roleAliases: { 'device-role': { credentialDurationSeconds: LIFETIME_SECONDS } },
            })
          : undefined
      const emu = own ?? iot
      emu.reset()
      const base = { endpoint: emu.hostName, connectTo: emu.address, roleAlias: 'device-role', timeoutMs, now }
      const good = fromIotCertificate({
        ...base,
        ca: emu.ca,
        certificate: emu.device.certificate,
        privateKey: emu.device.privateKey,
      })
      const untrusted = fromIotCertificate({
        ...base,
        ca: otherCa,
        certificate: emu.device.certificate,
        privateKey: emu.device.privateKey,
      })
      const stranger = fromIotCertificate({
        ...base,
        ca: emu.ca,
        certificate: foreign.certificate,
        privateKey: foreign.privateKey,
      })
      const tls = countdown()
      let tlsCalls = 0
      const fromIotCertificateSource = (context?: SourceContext) => {
        const f = tls.take()
        if (f !== undefined) tlsCalls++
        return (f === 'tls-server-ca' ? untrusted : f === 'tls-client-ca' ? stranger : good)(context)
      }
      return {
        source: fromIotCertificateSource,
        inject: (f, count) => {
          if (!injectInto(emu, 'AssumeRoleWithCertificate', f, count)) tls.set(f, count)
        },
        clear: () => {
          emu.reset()
          tls.clear()
        },
        // A handshake refused by the client never becomes a request on the server.
        calls: () => emu.requests.length + tlsCalls,
        close: async () => {
          good.close()
          untrusted.close()
          stranger.close()
          await own?.close()
        },
      }
    },
    close: () => iot.close(),
  }
}

const startRolesAnywhere = (now: () => number): Promise<RolesAnywhereEmulator> =>
  startRolesAnywhereEmulator({ now, credentialLifetimeSeconds: LIFETIME_SECONDS })

/**
 * IAM Roles Anywhere over plain HTTP to loopback. The source signs with the injected clock,
 * which the emulator shares, so the jumps of the matrix stay inside the 5-minute window.
 * As with STS, a `delay` cell gets an emulator of its own.
 */
export const rolesAnywhereFixture = async (now: () => number): Promise<Fixture> => {
  const shared = await startRolesAnywhere(now)
  return {
    harness: async (fault, timeoutMs) => {
      const ra = fault === 'delay' ? await startRolesAnywhere(now) : shared
      ra.reset()
      const source = fromRolesAnywhere({ ...rolesAnywhereOptions(ra), timeoutMs, now })
      return {
        source,
        inject: (f, count) => {
          if (!injectInto(ra, 'CreateSession', f, count))
            throw new Error(`the Roles Anywhere emulator cannot inject ${f}`)
        },
        clear: () => ra.reset(),
        calls: () => ra.requests.length,
        close: async () => {
          if (ra !== shared) await ra.close()
        },
      }
    },
    close: () => shared.close(),
  }
}

const sdkLikeError = (message: string, extra: Record<string, unknown>): Error =>
  Object.assign(new Error(message), extra)

/** What a user's function does when its own backend fails in the same ways. */
const simulate = async (
  fault: FaultKind,
  context: SourceContext | undefined,
  good: () => CallableCredentials,
  now: () => number,
): Promise<CallableCredentials> => {
  switch (fault) {
    case 'throttle':
      throw sdkLikeError('Rate exceeded', { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } })
    case '500':
      throw sdkLikeError('internal error', { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } })
    case '503':
      throw sdkLikeError('service unavailable', { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } })
    case 'reset':
      throw sdkLikeError('socket hang up', { code: 'ECONNRESET' })
    case 'malformed':
      return { accessKeyId: 42 } as unknown as CallableCredentials
    case 'expired-creds':
      return { ...good(), expiration: new Date(now() - 60_000) }
    case 'ExpiredToken':
      throw sdkLikeError('The security token included in the request is expired', {
        name: 'ExpiredToken',
        $metadata: { httpStatusCode: 403 },
      })
    case 'tls-server-ca':
    case 'tls-client-ca':
      throw sdkLikeError('unable to verify the first certificate', { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
    case 'delay':
      // A well-behaved function stops its work when the caller's signal aborts.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, DELAY_MS)
        context?.signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer)
            reject(context.signal?.reason)
          },
          { once: true },
        )
      })
      return good()
  }
}

/** fromCallable around a function whose backend fails on demand; no emulator. */
export const callableFixture = async (now: () => number): Promise<Fixture> => ({
  harness: async () => {
    const faults = countdown()
    let calls = 0
    const good = (): CallableCredentials => ({
      accessKeyId: `ASIACALLABLE${String(calls).padStart(8, '0')}`,
      secretAccessKey: `callable-secret-${calls}`,
      sessionToken: `callable-token-${calls}`,
      expiration: new Date(now() + LIFETIME_SECONDS * 1000),
    })
    const source = fromCallable(
      async (context) => {
        calls++
        const fault = faults.take()
        return fault === undefined ? good() : simulate(fault, context, good, now)
      },
      { now },
    )
    return { source, inject: faults.set, clear: faults.clear, calls: () => calls, close: async () => undefined }
  },
  close: async () => undefined,
})
