import type { CredentialError } from '../../errors.js'
import { checkLogger } from '../../internal/sdkLogger.js'
import {
  checkMs,
  checkString,
  guarded,
  invalidConfiguration,
  requireFunction,
  requireObject,
  snapshot,
} from '../../internal/validate.js'
import type { StsSourceOptions } from './stsClient.js'

/** A check of one parameter: undefined when valid, else what it must be (never the value). */
type Check = (value: unknown) => string | undefined

/** `min`–`max` characters; with `chars`, only those (a regex class: the API reference's patterns). */
const str = (min: number, max: number, chars?: string): Check => {
  const pattern = new RegExp(`^[${chars ?? '\\s\\S'}]{${min},${max}}$`)
  const problem = `a string of ${min} to ${max} characters${chars ? ` [${chars}]` : ''}`
  return (v) => (typeof v === 'string' && pattern.test(v) ? undefined : problem)
}

const int =
  (min: number, max: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `an integer from ${min} to ${max}`

const list =
  (max: number): Check =>
  (v) =>
    Array.isArray(v) && v.length <= max ? undefined : `an array of at most ${max}`

const sessionName = /* @__PURE__ */ str(2, 64, '\\w+=,.@-')
const tagList = /* @__PURE__ */ list(50)

/**
 * The parameter constraints of the AWS STS API reference (AssumeRole, AssumeRoleWithWebIdentity,
 * GetSessionToken), by parameter name; the web identity ones below. `TokenCode` is refused
 * whenever present: a one-time code comes from `withMfa`.
 */
export const STS_CHECKS = {
  RoleArn: str(20, 2048),
  RoleSessionName: sessionName,
  DurationSeconds: int(900, 43_200),
  ExternalId: str(2, 1224, '\\w+=,.@:/-'),
  SerialNumber: str(9, 256, '\\w+=/:,.@-'),
  Policy: str(1, 2048),
  PolicyArns: list(10),
  Tags: tagList,
  TransitiveTagKeys: tagList,
  SourceIdentity: sessionName,
  TokenCode: () => 'absent: use SerialNumber with withMfa',
} satisfies Record<string, Check>

/** AssumeRoleWithWebIdentity's own parameters. */
export const WEB_IDENTITY_CHECKS = /* @__PURE__ */ Object.assign({}, STS_CHECKS, {
  WebIdentityToken: /* @__PURE__ */ str(4, 20_000),
  ProviderId: /* @__PURE__ */ str(4, 2048),
}) satisfies Record<string, Check>

/** GetSessionToken allows up to 36 hours. */
export const SESSION_TOKEN_DURATION = /* @__PURE__ */ int(900, 129_600)

/**
 * Validates `params` (an object: the callers snapshot it first) with `checks` (present keys
 * only; `required`, a name of `checks`, must be present) and throws `InvalidConfiguration`
 * naming the parameter.
 * The value is never echoed.
 */
export const validateParams = (
  source: string,
  params: object,
  checks: Readonly<Record<string, Check>>,
  required?: string,
): void => {
  for (const name in checks) {
    const value = (params as Record<string, unknown>)[name]
    const problem = value !== undefined ? checks[name]!(value) : name === required ? 'given' : undefined
    if (problem !== undefined) throw invalidConfiguration(source, `${name} must be ${problem}`)
  }
}

/** The deadline of one STS request when `timeoutMs` is not given (as fromIotCertificate). */
export const DEFAULT_STS_TIMEOUT_MS = 10_000

/**
 * Validates the options every STS source shares (an object: the callers snapshot it first;
 * `source` only when the request is signed). Throws `InvalidConfiguration` naming the option.
 * The deadline of one request is then `options.timeoutMs ?? DEFAULT_STS_TIMEOUT_MS`.
 */
export const validateStsOptions = (source: string, options: StsSourceOptions, signed = true): void => {
  checkString(source, 'options.region', options.region, 64)
  if (signed) requireFunction(source, 'options.source', options.source)
  requireObject(source, 'options.clientConfig', options.clientConfig, true)
  // setTimeout waits at least 1 ms, so a deadline below it cannot be honoured.
  checkMs(source, 'options.timeoutMs', options.timeoutMs, 1)
}

/**
 * Snapshots and validates the parameters and options of an STS source, under one guard: a
 * throwing getter fails here, at construction, not at call time. The result is the
 * first half of the source's spec (see `stsSource`).
 */
export const stsSetup = <P extends object, O extends StsSourceOptions>(
  source: string,
  given: P,
  givenOptions: O,
  checks: Readonly<Record<string, Check>>,
  required?: string,
): { readonly source: string; readonly params: P; readonly options: O } =>
  guarded(source, () => {
    const params = snapshot(source, 'params', given)
    const options = snapshot(source, 'options', givenOptions, ['clientConfig'])
    validateParams(source, params, checks, required)
    checkLogger(source, options.logger)
    validateStsOptions(source, options)
    return { source, params, options }
  })

/** An `InvalidConfiguration` error of `source`. */
export const invalid: (source: string, message: string) => CredentialError = invalidConfiguration
