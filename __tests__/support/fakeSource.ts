import type { AwsCredentialIdentity, CredentialSource } from '../../lib/types'

/** A scripted source: each call mints new credentials (or runs the next scripted step). */
export interface FakeSource extends CredentialSource {
  readonly calls: number
  /** Makes the next calls fail with `error` until `succeed()` is called. */
  failWith(error: unknown): void
  succeed(): void
  /** Makes calls hang until `release()` resolves them. */
  hold(): void
  release(): void
}

export const fakeSource = (lifetimeMs: number | undefined, now: () => number = Date.now): FakeSource => {
  let calls = 0
  let failure: { error: unknown } | undefined
  let gate: { promise: Promise<void>; open: () => void } | undefined
  const mint = (): AwsCredentialIdentity => ({
    accessKeyId: `ASIAFAKE${String(calls).padStart(8, '0')}`,
    secretAccessKey: `secret-${calls}`,
    sessionToken: `token-${calls}`,
    ...(lifetimeMs === undefined ? {} : { expiration: new Date(now() + lifetimeMs) }),
  })
  const source = async (): Promise<AwsCredentialIdentity> => {
    calls += 1
    if (gate) await gate.promise
    if (failure) throw failure.error
    return mint()
  }
  Object.defineProperty(source, 'calls', { get: () => calls })
  return Object.assign(source, {
    failWith: (error: unknown) => {
      failure = { error }
    },
    succeed: () => {
      failure = undefined
    },
    hold: () => {
      let open!: () => void
      const promise = new Promise<void>((r) => {
        open = r
      })
      gate = { promise, open }
    },
    release: () => {
      gate?.open()
      gate = undefined
    },
  }) as FakeSource
}

/** Lets every queued promise callback run (fake timers do not do it). */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}
