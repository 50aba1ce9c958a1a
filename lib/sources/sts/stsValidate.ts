import type { CredentialError } from '../../errors.js'
import { checkLogger } from '../../internal/sdkLogger.js'
import {
  checkString,
  guarded,
  invalidConfiguration,
  MAX_TIMER_MS,
  requireFunction,
  requireObject,
  snapshot,
} from '../../internal/validate.js'
import type { StsSourceOptions } from './stsClient.js'

/** A check of one parameter: undefined when valid, else what is wrong (never the value). */
type Check = (value: unknown) => string | undefined

/** `min`–`max` characters; with `extra`, only `[\w<extra>]` (the API reference's patterns). */
const str = (min: number, max: number, extra?: string): Check => {
  const pattern = extra === undefined ? undefined : new RegExp(`^[\\w${extra}]+$`)
  return (v) =>
    typeof v !== 'string'
      ? 'must be a string'
      : v.length < min || v.length > max
        ? `must be ${min}–${max} characters long (got ${v.length})`
        : pattern?.test(v) === false
          ? `may only contain letters, digits and _${extra}`
          : undefined
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
    !Array.isArray(v) ? 'must be an array' : v.length > max ? `may hold at most ${max} entries` : undefined

/** The parameter constraints of the AWS STS API reference (AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken), by parameter name; the web identity ones below. */
export const STS_CHECKS = {
  RoleArn: str(20, 2048),
  RoleSessionName: str(2, 64, '+=,.@-'),
  DurationSeconds: int(900, 43_200, ' (role chaining caps it at 3600)'),
  ExternalId: str(2, 1224, '+=,.@:/-'),
  SerialNumber: str(9, 256, '+=/:,.@-'),
  Policy: str(1, 2048),
  PolicyArns: list(10),
  Tags: list(50),
  TransitiveTagKeys: list(50),
  SourceIdentity: str(2, 64, '+=,.@-'),
} satisfies Record<string, Check>

/** AssumeRoleWithWebIdentity's own parameters. */
export const WEB_IDENTITY_CHECKS = /* @__PURE__ */ Object.assign({}, STS_CHECKS, {
  WebIdentityToken: /* @__PURE__ */ str(4, 20_000),
  ProviderId: /* @__PURE__ */ str(4, 2048),
}) satisfies Record<string, Check>

/** GetSessionToken allows up to 36 hours. */
export const SESSION_TOKEN_DURATION = /* @__PURE__ */ int(900, 129_600)

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
  for (const name in checks) {
    const problem = record[name] === undefined ? undefined : checks[name]!(record[name])
    if (problem !== undefined) throw invalid(source, `${name} ${problem}`)
  }
  if (record['TokenCode'] !== undefined)
    throw invalid(source, 'TokenCode is one-time: set SerialNumber and use withMfa(codeProvider)')
}

/** The deadline of one STS request when `timeoutMs` is not given (as fromIotCertificate). */
export const DEFAULT_STS_TIMEOUT_MS = 10_000

/**
 * Validates the options every STS source shares (`source` only when the request is signed)
 * and returns the deadline of one request. Throws `InvalidConfiguration` naming the option.
 */
export const validateStsOptions = (source: string, options: unknown, signed = true): { readonly timeoutMs: number } => {
  requireObject(source, 'options', options)
  const { region, source: base, clientConfig, timeoutMs = DEFAULT_STS_TIMEOUT_MS } = options as Record<string, unknown>
  checkString(source, 'options.region', region, 64)
  if (signed) requireFunction(source, 'options.source', base)
  requireObject(source, 'options.clientConfig', clientConfig, true)
  if (!(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS))
    throw invalid(source, `options.timeoutMs must be a number of milliseconds above 0, up to ${MAX_TIMER_MS}`)
  return { timeoutMs }
}

/**
 * Snapshots and validates the parameters and options of an STS source, under one guard: a
 * throwing getter fails here, at construction, not at call time.
 */
export const stsSetup = <P extends object, O extends StsSourceOptions>(
  source: string,
  given: P,
  givenOptions: O,
  checks: Readonly<Record<string, Check>>,
  required?: readonly string[],
): { readonly params: P; readonly options: O; readonly timeoutMs: number } =>
  guarded(source, () => {
    const params = snapshot(source, 'params', given)
    const options = snapshot(source, 'options', givenOptions, ['clientConfig'])
    validateParams(source, params, checks, required)
    checkLogger(source, options.logger)
    return { params, options, ...validateStsOptions(source, options) }
  })

/** An `InvalidConfiguration` error of `source`. */
export const invalid = (source: string, message: string): CredentialError => invalidConfiguration(source, message)
