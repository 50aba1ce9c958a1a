import type { CredentialError } from '../../errors.js'
import { invalidConfiguration, MAX_TIMER_MS } from '../../internal/validate.js'

/** A check of one parameter: undefined when valid, else what is wrong (never the value). */
type Check = (value: unknown) => string | undefined

const str =
  (min: number, max: number, pattern?: RegExp, charset?: string): Check =>
  (v) => {
    if (typeof v !== 'string') return 'must be a string'
    if (v.length < min || v.length > max) return `must be ${min}–${max} characters long (got ${v.length})`
    if (pattern && !pattern.test(v)) return `may only contain ${charset ?? pattern.source}`
    return undefined
  }

const int =
  (min: number, max: number, note = ''): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `must be an integer from ${min} to ${max}${note}`

const list =
  (max: number): Check =>
  (v) =>
    !Array.isArray(v)
      ? 'must be an array'
      : v.length > max
        ? `may hold at most ${max} entries (got ${v.length})`
        : undefined

/** The parameter constraints of the AWS STS API reference (AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken), by parameter name. */
export const STS_CHECKS = {
  RoleArn: str(20, 2048),
  RoleSessionName: str(2, 64, /^[\w+=,.@-]+$/, 'letters, digits and +=,.@_-'),
  DurationSeconds: int(900, 43_200, ' (role chaining caps it at 3600)'),
  ExternalId: str(2, 1224, /^[\w+=,.@:/-]+$/, 'letters, digits and +=,.@:/_-'),
  SerialNumber: str(9, 256, /^[\w+=/:,.@-]+$/, 'letters, digits and +=/:,.@_-'),
  Policy: str(1, 2048),
  PolicyArns: list(10),
  Tags: list(50),
  TransitiveTagKeys: list(50),
  SourceIdentity: str(2, 64, /^[\w+=,.@-]+$/, 'letters, digits and +=,.@_-'),
  WebIdentityToken: str(4, 20_000),
  ProviderId: str(4, 2048),
} satisfies Record<string, Check>

/** GetSessionToken allows up to 36 hours. */
export const SESSION_TOKEN_DURATION = int(900, 129_600)

/**
 * Validates `params` with `checks` (present keys only; `required` must be present) and
 * throws `InvalidConfiguration` naming the parameter. The value is never echoed.
 */
export const validateParams = (
  source: string,
  params: unknown,
  checks: Readonly<Record<string, Check>>,
  required: readonly string[] = [],
): void => {
  requireObject(source, 'params', params)
  const record = params as Record<string, unknown>
  for (const name of required) if (record[name] === undefined) throw invalid(source, `${name} is required`)
  for (const [name, check] of Object.entries(checks)) {
    if (record[name] === undefined) continue
    const problem = check(record[name])
    if (problem !== undefined) throw invalid(source, `${name} ${problem}`)
  }
  if (record['TokenCode'] !== undefined)
    throw invalid(
      source,
      'TokenCode is one-time and cannot be configured; set SerialNumber and use withMfa(codeProvider)',
    )
}

/** The deadline of one STS request when `timeoutMs` is not given (as fromIotCertificate). */
export const DEFAULT_STS_TIMEOUT_MS = 10_000

/** What a bad value was, without echoing it (it may be a secret). */
const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v)

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Throws `InvalidConfiguration` unless `value` is a plain object (not null, not an array). */
export const requireObject = (source: string, name: string, value: unknown): void => {
  if (!isRecord(value)) throw invalid(source, `${name} must be an object (got ${kind(value)})`)
}

/**
 * Validates the options every STS source shares (`source` only when the request is signed)
 * and returns the deadline of one request. Throws `InvalidConfiguration` naming the option.
 */
export const validateStsOptions = (source: string, options: unknown, signed = true): { readonly timeoutMs: number } => {
  requireObject(source, 'options', options)
  const { region, source: base, clientConfig, timeoutMs = DEFAULT_STS_TIMEOUT_MS } = options as Record<string, unknown>
  if (region !== undefined && (typeof region !== 'string' || region === '' || region.length > 64))
    throw invalid(
      source,
      `options.region must be a non-empty string such as 'eu-west-1' (got ${typeof region === 'string' ? `${region.length} characters` : kind(region)})`,
    )
  if (signed && base !== undefined && typeof base !== 'function')
    throw invalid(
      source,
      `options.source must be a credential provider function, e.g. async () => credentials (got ${kind(base)})`,
    )
  if (clientConfig !== undefined) requireObject(source, 'options.clientConfig', clientConfig)
  if (!(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS))
    throw invalid(
      source,
      `options.timeoutMs must be a positive number of milliseconds up to ${MAX_TIMER_MS} (got ${typeof timeoutMs === 'number' ? timeoutMs : kind(timeoutMs)})`,
    )
  return { timeoutMs }
}

/** An `InvalidConfiguration` error of `source`. */
export const invalid = (source: string, message: string): CredentialError => invalidConfiguration(source, message)
