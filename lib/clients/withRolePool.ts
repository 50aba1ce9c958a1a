import type { STSClientConfig } from '@aws-sdk/client-sts'
import { CredentialError } from '../errors.js'
import type { WithRefreshOptions } from '../refresh/withRefresh.js'
import type { FromAssumeRoleParams } from '../sources/fromAssumeRole.js'
import type { AwsCredentialIdentityProvider, ClientFactory, RefreshingProvider } from '../types.js'
import { createGate } from './createGate.js'
import { createRole, type Role } from './createRole.js'
import { roleKey } from './roleKey.js'
import { invalid, type RolePoolConfig, rolePoolConfig, SOURCE } from './rolePoolConfig.js'
import { sharedRequestHandler } from './sharedRequestHandler.js'
import type { WithClientCacheOptions } from './withClientCache.js'

/**
 * The AssumeRole parameters of one role of a {@link RolePool}: those of `fromAssumeRole`
 * without `SerialNumber` (a pool cannot ask for an MFA code per role; give it a base
 * provider that did MFA once).
 *
 * @category clients
 * @since 0.2.0
 */
export type RolePoolParams = Omit<FromAssumeRoleParams, 'SerialNumber'>

/**
 * Options of {@link withRolePool}.
 *
 * @category clients
 * @since 0.2.0
 */
export type WithRolePoolOptions = {
  /** How many roles are kept; past it the least recently used role is closed with its clients. @default 1000 */
  readonly maxSize?: number
  /** The most STS AssumeRole calls in flight at once across the pool; the rest wait in a FIFO queue. @default 10 */
  readonly concurrency?: number
  /**
   * Config of the roles' STS clients (endpoint, region, maxAttempts, requestHandler, ...), as
   * `fromAssumeRole` takes it, without `credentials`. All roles share one request handler.
   * @default {}
   */
  readonly clientConfig?: STSClientConfig
  /** `withRefresh` options of every role's provider. @default `{ jitter: 0.5 }` (other keys: withRefresh's defaults) */
  readonly refresh?: WithRefreshOptions
  /** `withClientCache` options of every role's client factory. @default {} */
  readonly clientCache?: WithClientCacheOptions
}

/**
 * Refreshing providers and client factories for many roles over one base provider: what
 * {@link withRolePool} returns.
 *
 * @category clients
 * @since 0.2.0
 */
export type RolePool = {
  /** The one refreshing provider of the role `params` names (equal parameters in any key order give the same one). */
  readonly provider: (params: RolePoolParams) => RefreshingProvider
  /** The one client factory of that role, signing with `provider(params)`. */
  readonly clients: (params: RolePoolParams) => ClientFactory
  /** How many roles are kept. */
  readonly size: number
  /** Closes every role once its requests in flight have settled; `provider()` and `clients()` then throw `Closed`. */
  readonly close: () => Promise<void>
}

/**
 * Turns a base provider into a pool of roles assumed with it, for one process that works in
 * many accounts. Caches one `withRefresh` provider per AssumeRole parameter set (built from
 * `fromAssumeRole` with the base provider as `source`) and one `withClientCache` factory
 * over it, up to `maxSize` roles; past it the least recently used role is dropped at once
 * and closed (its clients destroyed, its timer cleared) when its requests in flight have
 * settled. Calls STS only when a role's provider fetches (first use, refresh windows,
 * `forceRefresh`), and never more than `concurrency` calls at once: the others wait in one
 * FIFO queue. Background refreshes are jittered (`refresh.jitter`, default 0.5) so roles
 * fetched together do not refresh together. Each role keeps its own cache, back-off and
 * errors: one role's failure never reaches another. All roles share one HTTP connection pool.
 *
 * @throws CredentialError `InvalidConfiguration` at once for bad options, a base provider
 * that is not a function, or bad `params` (also `SerialNumber`); `Closed` from `provider()`
 * and `clients()` after `close()`, and from a role's provider that must call STS after it.
 * A role's provider rejects with the codes of `fromAssumeRole` (`StsRejected`, `Throttled`, ...).
 * @example
 * ```ts
 * const pool = pipe(fromNodeProviderChain(), withRolePool({ concurrency: 20, clientCache: { region: 'eu-west-1' } }))
 * const s3 = pool.clients({ RoleArn: `arn:aws:iam::${account}:role/reader`, ExternalId }).client(S3Client)
 * await s3.send(new ListBucketsCommand({}))
 * await pool.close()
 * ```
 * @category clients
 * @since 0.2.0
 */
export const withRolePool = (options?: WithRolePoolOptions): ((base: AwsCredentialIdentityProvider) => RolePool) => {
  const config = rolePoolConfig(options)
  return (base) => {
    if (typeof base !== 'function')
      throw invalid('expected a base credential provider: pipe(baseProvider, withRolePool(options))')
    return createPool(base, config)
  }
}

const closedError = (): CredentialError =>
  new CredentialError(`${SOURCE}: the pool is closed; build a new one`, { code: 'Closed', source: SOURCE })

const createPool = (base: AwsCredentialIdentityProvider, config: RolePoolConfig): RolePool => {
  const roles = new Map<string, Role>() // insertion order = recency: the first is the least recently used
  const draining = new Set<Promise<void>>()
  const gate = createGate(config.concurrency)
  const shared = sharedRequestHandler(config.clientConfig)
  let closed = false

  const retire = (key: string, role: Role): void => {
    if (roles.get(key) === role) roles.delete(key)
    const done = role.retire()
    draining.add(done)
    void done.then(() => draining.delete(done))
  }

  const roleOf = (params: RolePoolParams): Role => {
    if (closed) throw closedError()
    const { key, params: canonical } = roleKey(params)
    const found = roles.get(key)
    if (found !== undefined) {
      roles.delete(key)
      roles.set(key, found)
      return found
    }
    if (canonical['SerialNumber'] !== undefined)
      throw invalid(
        'params.SerialNumber: a pool cannot ask for an MFA code per role; give it a base provider that did MFA once, e.g. pipe(fromSessionToken({ SerialNumber }), withMfa(code), withRefresh(), withRolePool())',
      )
    const role: Role = createRole(canonical, {
      base,
      gate,
      requestHandler: shared.handler,
      config,
      onClose: () => retire(key, role),
    })
    roles.set(key, role)
    if (roles.size > config.maxSize) {
      const [oldestKey, oldest] = roles.entries().next().value as [string, Role]
      retire(oldestKey, oldest)
    }
    return role
  }

  return {
    provider: (params) => roleOf(params).provider,
    clients: (params) => roleOf(params).clients(),
    get size() {
      return roles.size
    },
    close: async () => {
      if (!closed) {
        closed = true
        gate.close(closedError)
        for (const [key, role] of [...roles]) retire(key, role)
      }
      await Promise.all(draining)
      shared.destroy()
    },
  }
}
