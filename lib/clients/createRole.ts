// One role of a pool: its gated AssumeRole source, its refreshing provider, its client
// factory (built on first use), and the count of its requests in flight, so that an evicted
// role is closed only once they have settled.
import type { InitializeHandler, MetadataBearer, MiddlewareStack } from '@smithy/types'
import type { STSClientConfig } from '@aws-sdk/client-sts'
import { named } from '../internal/named.js'
import { fromAssumeRole, type FromAssumeRoleParams } from '../sources/fromAssumeRole.js'
import type { AwsCredentialIdentityProvider, ClientFactory, RefreshingProvider, SdkClientClass } from '../types.js'
import type { Gate } from './createGate.js'
import type { RolePoolConfig } from './rolePoolConfig.js'

export type RoleDeps = {
  readonly base: AwsCredentialIdentityProvider
  readonly gate: Gate
  readonly requestHandler: NonNullable<STSClientConfig['requestHandler']>
  readonly config: RolePoolConfig
  /** Called when the role's factory is closed by its user: the pool forgets the role. */
  readonly onClose: () => void
}

export type Role = {
  readonly provider: RefreshingProvider
  readonly clients: () => ClientFactory
  /** Closes the role once its requests in flight have settled; resolves then. Idempotent. */
  readonly retire: () => Promise<void>
}

export const createRole = (params: Readonly<Record<string, unknown>>, d: RoleDeps): Role => {
  let inflight = 0
  let retired: Promise<void> | undefined
  let drained: (() => void) | undefined
  let inner: ClientFactory | undefined
  let factory: ClientFactory | undefined
  const counted = new WeakSet<object>()

  const settle = (): void => {
    inflight -= 1
    if (inflight === 0 && drained !== undefined) finish()
  }
  const track = <A>(run: () => Promise<A>): Promise<A> => {
    inflight += 1
    let p: Promise<A>
    try {
      p = run()
    } catch (e) {
      p = Promise.reject(e)
    }
    return p.finally(settle)
  }

  // The role's STS client lives for one call: between refreshes a role holds no SDK client,
  // and at most `concurrency` exist at once. The connections are the pool's (requestHandler).
  const assume = fromAssumeRole(params as FromAssumeRoleParams, {
    source: d.base,
    clientConfig: { ...d.config.clientConfig, requestHandler: d.requestHandler },
  })
  const source = Object.assign(
    named('fromAssumeRole', (context?: Parameters<typeof assume>[0]) =>
      track(() => d.gate.run(() => assume(context).finally(assume.close))),
    ),
    { close: assume.close },
  )
  const provider = d.config.refresh(source)

  const countRequests =
    (next: InitializeHandler<object, MetadataBearer>): InitializeHandler<object, MetadataBearer> =>
    (args) =>
      track(() => next(args))
  const wrap = (cache: ClientFactory): ClientFactory => ({
    client: <K extends SdkClientClass>(
      ClientClass: K,
      config?: Parameters<ClientFactory['client']>[1],
    ): InstanceType<K> => {
      const c = cache.client(ClientClass, config as never)
      if (!counted.has(c)) {
        counted.add(c)
        const stack = (c as { readonly middlewareStack: MiddlewareStack<object, MetadataBearer> }).middlewareStack
        stack.add(countRequests, { step: 'initialize', name: 'withRolePoolInFlight' })
      }
      return c
    },
    whoami: () => track(cache.whoami),
    credentials: provider,
    get size() {
      return cache.size
    },
    clear: cache.clear,
    close: d.onClose,
  })

  const finish = (): void => {
    const resolve = drained
    drained = undefined // once: a retained provider's later calls must not close it again
    // The factory's close() destroys its clients and closes the provider.
    if (inner !== undefined) inner.close()
    else provider.close()
    resolve?.()
  }

  return {
    provider,
    clients: () => (factory ??= wrap((inner = d.config.clientCache(provider)))),
    retire: () => {
      retired ??= new Promise<void>((resolve) => {
        drained = resolve
        if (inflight === 0) finish()
      })
      return retired
    },
  }
}
