// Every public constructor, transform and factory, fed wrong values in each argument
// position, throws a CredentialError `InvalidConfiguration` synchronously, before any I/O.
import fc from 'fast-check'
import { withClientCache } from '../../lib/clients/withClientCache'
import { isCredentialError } from '../../lib/errors'
import { codeFromCommand } from '../../lib/mfa/codeFromCommand'
import { totp } from '../../lib/mfa/totp'
import { refreshWindows } from '../../lib/refresh/windows'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { fromCallable } from '../../lib/sources/fromCallable'
import { fromIotCertificate } from '../../lib/sources/fromIotCertificate'
import { fromSessionToken } from '../../lib/sources/fromSessionToken'
import { fromWebIdentity } from '../../lib/sources/fromWebIdentity'
import { withMfa } from '../../lib/transforms/withMfa'
import { withRetry } from '../../lib/transforms/withRetry'
import { withTimeout } from '../../lib/transforms/withTimeout'

/** Objects built to throw when read: no position may accept them. */
const hostile = new WeakSet<object>()
const mark = <T extends object>(o: T): T => {
  hostile.add(o)
  return o
}
const printable = (name: string): object => Object.defineProperty({}, fc.toStringMethod, { value: () => name })
const throwing = (): object =>
  mark(
    Object.defineProperty(printable('{ get x() { throw } }'), 'x', {
      enumerable: true,
      get: () => {
        throw new Error('getter')
      },
    }),
  )
// Throws on every string key the code under test may read (symbol keys answer, so the test runner can inspect it).
const trap = (k: string | symbol): undefined => {
  if (typeof k === 'symbol') return undefined
  throw new Error('trap')
}
const everyGetterThrows = (): object => {
  const target = printable('Proxy(throws)')
  return mark(
    new Proxy(target, {
      get: (t, k) => (k === fc.toStringMethod ? Reflect.get(t, k) : trap(k)),
      has: (_, k) => k === fc.toStringMethod || (trap(k) ?? false),
      ownKeys: () => {
        throw new Error('trap')
      },
      getOwnPropertyDescriptor: (t, k) => (k === fc.toStringMethod ? Reflect.getOwnPropertyDescriptor(t, k) : trap(k)),
    }),
  )
}

/** Values of wrong types (each position skips the ones it accepts). */
const bad = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    undefined,
    Number.NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    1.5,
    2 ** 53,
    '',
    true,
    [],
    [1],
    Symbol('s'),
    10n,
  ),
  fc
    .constantFrom<() => unknown>(
      throwing,
      everyGetterThrows,
      () => JSON.parse('{"__proto__": {"polluted": true}}'),
      () => 'x'.repeat(1_000_000),
      () => ({}),
      () => () => undefined,
    )
    .map((make) => make()),
  fc.string(),
  fc.integer(),
)

const fn = (): Promise<never> => Promise.reject(new Error('not called'))
const ROLE = { RoleArn: 'arn:aws:iam::123456789012:role/app' }
const IOT = {
  endpoint: 'example.credentials.iot.eu-west-1.amazonaws.com',
  roleAlias: 'alias',
  certificate: '-----BEGIN CERTIFICATE-----',
  privateKey: '-----BEGIN PRIVATE KEY-----',
}
const isFn = (v: unknown): boolean => typeof v === 'function'
const isObj = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && !hostile.has(v)
const optionalObject = (v: unknown): boolean => v === undefined || isObj(v)

/** [name, place the value, which values that position accepts] */
const positions: [string, (v: unknown) => unknown, (v: unknown) => boolean][] = [
  ['fromCallable(v)', (v) => fromCallable(v as never), isFn],
  ['fromCallable(fn, v)', (v) => fromCallable(fn, v as never), optionalObject],
  ['fromCallable(fn, { now: v })', (v) => fromCallable(fn, { now: v as never }), (v) => v === undefined || isFn(v)],
  ['fromAssumeRole(v)', (v) => fromAssumeRole(v as never), () => false],
  ['fromAssumeRole(params, v)', (v) => fromAssumeRole(ROLE, v as never), optionalObject],
  [
    'fromAssumeRole(params, { timeoutMs: v })',
    (v) => fromAssumeRole(ROLE, { timeoutMs: v as never }),
    (v) => v === undefined || (typeof v === 'number' && v > 0 && v < 2 ** 31),
  ],
  [
    'fromAssumeRole(params, { region: v })',
    (v) => fromAssumeRole(ROLE, { region: v as never }),
    (v) => v === undefined || (typeof v === 'string' && v.length > 0 && v.length < 100),
  ],
  [
    'fromAssumeRole(params, { source: v })',
    (v) => fromAssumeRole(ROLE, { source: v as never }),
    (v) => v === undefined || isFn(v),
  ],
  [
    'fromAssumeRole(params, { clientConfig: v })',
    (v) => fromAssumeRole(ROLE, { clientConfig: v as never }),
    optionalObject,
  ],
  ['fromSessionToken(v)', (v) => fromSessionToken(v as never), optionalObject],
  ['fromSessionToken({}, v)', (v) => fromSessionToken({}, v as never), optionalObject],
  ['fromWebIdentity(v)', (v) => fromWebIdentity(v as never), () => false],
  [
    'fromWebIdentity(params, v)',
    (v) => fromWebIdentity({ ...ROLE, WebIdentityToken: 'token' }, v as never),
    optionalObject,
  ],
  ['fromIotCertificate(v)', (v) => fromIotCertificate(v as never), () => false],
  ['fromIotCertificate({ ca: v })', (v) => fromIotCertificate({ ...IOT, ca: v as never }), () => false],
  ['fromIotCertificate({ connectTo: v })', (v) => fromIotCertificate({ ...IOT, connectTo: v as never }), () => false],
  ['fromIotCertificate({ endpoint: v })', (v) => fromIotCertificate({ ...IOT, endpoint: v as never }), () => false],
  ['fromIotCertificate({ timeoutMs: v })', (v) => fromIotCertificate({ ...IOT, timeoutMs: v as never }), () => false],
  ['fromIotCertificate({ now: v })', (v) => fromIotCertificate({ ...IOT, now: v as never }), () => false],
  [
    'withRefresh(v)',
    (v) => withRefresh(v as never),
    (v) => optionalObject(v) || (typeof v === 'number' && v >= 0 && v < 2 ** 31),
  ],
  [
    'withRefresh({ waitMs: v })',
    (v) => withRefresh({ waitMs: v as never }),
    (v) => v === undefined || (typeof v === 'number' && v >= 0 && v < 2 ** 31),
  ],
  ['withRefresh()(v)', (v) => withRefresh()(v as never), isFn],
  ['withRetry(v)', (v) => withRetry(v as never), optionalObject],
  ['withRetry()(v)', (v) => withRetry()(v as never), isFn],
  ['withTimeout(v)', (v) => withTimeout(v as never), (v) => typeof v === 'number' && v > 0 && v < 2 ** 31],
  ['withTimeout(1000)(v)', (v) => withTimeout(1000)(v as never), isFn],
  ['withMfa(v)', (v) => withMfa(v as never), isFn],
  ['withMfa(fn, v)', (v) => withMfa(fn, v as never), optionalObject],
  [
    'withMfa(fn, { serialNumber })(v)',
    (v) => withMfa(fn, { serialNumber: 'arn:aws:iam::123456789012:mfa/me' })(v as never),
    isFn,
  ],
  ['totp(v)', (v) => totp(v as never), () => false],
  ['totp(secret, v)', (v) => totp('JBSWY3DPEHPK3PXP', v as never), optionalObject],
  ['codeFromCommand(v)', (v) => codeFromCommand(v as never), () => false],
  ['codeFromCommand(argv, v)', (v) => codeFromCommand(['true'], v as never), optionalObject],
  ['withClientCache(v)', (v) => withClientCache(v as never), optionalObject],
  ['withClientCache()(v)', (v) => withClientCache()(v as never), () => false],
  ['refreshWindows(v)', (v) => refreshWindows(v as never), (v) => typeof v === 'number' && v >= 0],
  [
    'refreshWindows(lifetime, v)',
    (v) => refreshWindows(3_600_000, v as never),
    (v) => v === undefined || (typeof v === 'number' && v >= 0),
  ],
]

describe('argument validation of every public function', () => {
  it.each(positions)('%s: a wrong value throws InvalidConfiguration at once', (_, place, accepts) => {
    fc.assert(
      fc.property(bad, (v) => {
        if (accepts(v)) return
        let thrown: unknown
        try {
          const made = place(v) as { close?: () => void } | undefined
          made?.close?.()
        } catch (e) {
          thrown = e
        }
        if (!isCredentialError(thrown, 'InvalidConfiguration'))
          throw new Error(
            `got ${String((thrown as Error | undefined)?.name)}: ${String((thrown as Error | undefined)?.message)}`,
          )
      }),
      { numRuns: 60 },
    )
  })

  it('fromCallable rejects only with CredentialErrors at call time, whatever the function returns or throws', async () => {
    await fc.assert(
      fc.asyncProperty(bad, async (v) => {
        for (const source of [
          fromCallable(() => v as never),
          fromCallable(() => {
            throw v
          }),
        ]) {
          const outcome = await source().then(
            () => undefined,
            (e: unknown) => e,
          )
          if (outcome !== undefined) expect(isCredentialError(outcome)).toBe(true)
        }
      }),
      { numRuns: 100 },
    )
  })
})
