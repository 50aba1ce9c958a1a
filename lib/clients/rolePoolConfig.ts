import type { STSClientConfig } from '@aws-sdk/client-sts'
import { CredentialError } from '../errors.js'
import { invalidConfiguration } from '../internal/validate.js'
import { withRefresh } from '../refresh/withRefresh.js'
import type { WithRefreshOptions } from '../refresh/withRefresh.js'
import type { ClientFactory, CredentialSource, RefreshingProvider } from '../types.js'
import { withClientCache, type WithClientCacheOptions } from './withClientCache.js'

export const SOURCE = 'withRolePool'

/** The pool's own default jitter: wider than a single provider's, see the README's "Scale". */
export const POOL_JITTER = 0.5

/** Options with every default filled in and every transform built (so validated) once. */
export type RolePoolConfig = {
  readonly maxSize: number
  readonly concurrency: number
  readonly clientConfig: STSClientConfig
  readonly refresh: (self: CredentialSource) => RefreshingProvider
  readonly clientCache: (credentials: RefreshingProvider) => ClientFactory
}

type Options = {
  readonly maxSize?: number
  readonly concurrency?: number
  readonly clientConfig?: STSClientConfig
  readonly refresh?: WithRefreshOptions
  readonly clientCache?: WithClientCacheOptions
}

export const invalid = (message: string): CredentialError => invalidConfiguration(SOURCE, message)

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v)
const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const positiveInteger = (name: string, v: unknown, fallback: number): number => {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    throw invalid(`${name} must be a positive integer (got ${typeof v === 'number' ? String(v) : kind(v)})`)
  return v
}

const optionalRecord = (name: string, v: unknown): Readonly<Record<string, unknown>> | undefined => {
  if (v !== undefined && !isRecord(v)) throw invalid(`${name} must be an object (got ${kind(v)})`)
  return v
}

/** Validates `withRolePool`'s options and fills in the defaults; throws before any I/O. */
export const rolePoolConfig = (options: unknown): RolePoolConfig => {
  const o = (optionalRecord('options', options) ?? {}) as Options
  const clientConfig = optionalRecord('clientConfig', o.clientConfig) as STSClientConfig | undefined
  if (clientConfig?.credentials !== undefined)
    throw invalid(
      'clientConfig must not hold credentials: the pool signs every AssumeRole with its base provider, pipe(baseProvider, withRolePool(options))',
    )
  const refresh = optionalRecord('refresh', o.refresh) as WithRefreshOptions | undefined
  const clientCache = optionalRecord('clientCache', o.clientCache) as WithClientCacheOptions | undefined
  return {
    maxSize: positiveInteger('maxSize', o.maxSize, 1_000),
    concurrency: positiveInteger('concurrency', o.concurrency, 10),
    clientConfig: clientConfig ?? {},
    refresh: withRefresh({ jitter: POOL_JITTER, ...refresh }),
    clientCache: withClientCache(clientCache),
  }
}
