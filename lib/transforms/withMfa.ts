import { CredentialError, isCredentialError } from '../errors.js'
import { abortable } from '../internal/abortable.js'
import { inherit } from './inherit.js'
import { guarded, invalidConfiguration, requireSource } from '../internal/validate.js'
import type { CredentialSource, MfaCapableSource, SourceContext } from '../types.js'

/**
 * Gives the one-time code of the MFA device `serialNumber`: `totp()`, `promptForCode()`,
 * `codeFromCommand()` or your own function. `signal` aborts when the call no longer waits
 * for the code (e.g. `withTimeout` fired): a provider that holds a resource (a terminal, a
 * child process) should release it then.
 *
 * @category mfa
 * @since 0.1.0
 */
export type MfaCodeProvider = (
  serialNumber: string,
  options?: { readonly signal?: AbortSignal | undefined },
) => string | Promise<string>

/**
 * Options of {@link withMfa}.
 *
 * @category transforms
 * @since 0.1.0
 */
export type WithMfaOptions = {
  /** The MFA device serial (ARN) when the source has no `SerialNumber`. @default the source's `SerialNumber` */
  readonly serialNumber?: string
}

const SOURCE = 'withMfa'
/** How many times a reused code is asked for again before `MfaCodeReused`. */
const MAX_REASKS = 3

/**
 * Adds a one-time MFA code to every call of an MFA-capable source (`fromAssumeRole`,
 * `fromSessionToken`). The code is asked for only when the wrapped source is called, that
 * is when it is about to call STS; put `withRefresh` after `withMfa`, so cached calls
 * never ask. Each code must be exactly 6 digits. A code equal to the last one sent for
 * the serial by this `withMfa` is never sent again (AWS refuses reused codes): the
 * provider is asked again, up to 3 more times. Caches only that last code per serial.
 *
 * Codes are asked for one call at a time. A call whose `context.signal` aborts (for example
 * from a `withTimeout` after `withMfa`) stops waiting for the provider and gives up its turn,
 * so a provider that never answers (a prompt nobody types into) does not block later calls.
 *
 * Put retries outside: `pipe(source, withMfa(codes), withRetry())`, so each retry asks for
 * a new code. `withRetry`'s result is not MFA-capable, so `withMfa` rejects it (a type error).
 *
 * @throws CredentialError `InvalidConfiguration` at once when `codeProvider` is not a function
 * or `serialNumber` not a non-empty string, and when no serial is known (at pipe time);
 * at call time `MfaCodeInvalid` (not 6 digits), `MfaCodeReused`, `SourceFailed` (the code
 * provider failed; its own `CredentialError` passes through), `Aborted` or the signal's own
 * `CredentialError` reason such as `Timeout` (the signal aborted while waiting for a code),
 * and whatever the source throws.
 * @example
 * ```ts
 * const source = pipe(
 *   fromAssumeRole({ RoleArn, SerialNumber: 'arn:aws:iam::123456789012:mfa/me' }),
 *   withMfa(totp(process.env.MFA_SECRET!)),
 *   withRefresh(5 * 60_000),
 * )
 * ```
 * @category transforms
 * @since 0.1.0
 */
export const withMfa = (
  codeProvider: MfaCodeProvider,
  given: WithMfaOptions = {},
): ((self: MfaCapableSource) => CredentialSource) => {
  const options = guarded(SOURCE, () => {
    validate(codeProvider, given)
    return { ...given }
  })
  const lastSent = new Map<string, string>()
  // Asking and recording are serialized, so concurrent calls cannot both send one code.
  let turn: Promise<unknown> = Promise.resolve()
  const nextCode = (serialNumber: string, signal: AbortSignal | undefined): Promise<string> => {
    const code = turn.then(async () => {
      if (signal?.aborted) throw aborted(signal)
      // Racing the ask (not only the wait) is what frees the turn from a hung provider.
      const fresh = await untilAborted(
        freshCode(codeProvider, serialNumber, lastSent.get(serialNumber), signal),
        signal,
      )
      lastSent.set(serialNumber, fresh)
      return fresh
    })
    turn = code.catch(() => undefined)
    return untilAborted(code, signal)
  }
  return (self) => {
    requireSource(SOURCE, self)
    const serialNumber = guarded(SOURCE, () => self.mfaSerialNumber) ?? options.serialNumber
    if (serialNumber === undefined)
      throw new CredentialError(
        `${SOURCE}: no MFA serial: set SerialNumber on the source or withMfa's serialNumber option`,
        {
          code: 'InvalidConfiguration',
          source: SOURCE,
        },
      )
    const wrapped = async (context?: SourceContext) => {
      const tokenCode = await nextCode(serialNumber, context?.signal)
      return self({ ...context, mfa: { serialNumber, tokenCode } })
    }
    Object.defineProperty(wrapped, 'name', { value: self.name, configurable: true })
    return inherit(wrapped, self)
  }
}

const invalid = (message: string): CredentialError => invalidConfiguration(SOURCE, message)

const validate = (codeProvider: unknown, options: unknown): void => {
  if (typeof codeProvider !== 'function')
    throw invalid('codeProvider must be a function (serialNumber) => code, e.g. totp(secret)')
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw invalid('options must be an object')
  const { serialNumber } = options as { serialNumber?: unknown }
  if (serialNumber !== undefined && (typeof serialNumber !== 'string' || serialNumber === ''))
    throw invalid('serialNumber must be the MFA device serial or ARN, a non-empty string')
}

/** The signal's own `CredentialError` reason (e.g. `withTimeout`'s `Timeout`), else `Aborted`. */
const aborted = (signal: AbortSignal): CredentialError =>
  isCredentialError(signal.reason)
    ? signal.reason
    : new CredentialError(`${SOURCE}: aborted while waiting for the MFA code`, {
        code: 'Aborted',
        source: SOURCE,
        cause: signal.reason,
      })

/** `promise`, or a rejection as soon as `signal` aborts. */
const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
  abortable(promise, { signal, aborted })

const freshCode = async (
  provider: MfaCodeProvider,
  serialNumber: string,
  last: string | undefined,
  signal: AbortSignal | undefined,
): Promise<string> => {
  for (let asked = 0; asked <= MAX_REASKS; asked++) {
    const code = await ask(provider, serialNumber, signal)
    if (!/^\d{6}$/.test(code))
      throw new CredentialError(`${SOURCE}: the MFA code provider returned something that is not exactly 6 digits`, {
        code: 'MfaCodeInvalid',
        source: SOURCE,
      })
    if (code !== last) return code
  }
  throw new CredentialError(
    `${SOURCE}: the MFA code provider kept returning the code already used; wait for the next code (AWS refuses a reused code)`,
    { code: 'MfaCodeReused', source: SOURCE },
  )
}

const ask = async (
  provider: MfaCodeProvider,
  serialNumber: string,
  signal: AbortSignal | undefined,
): Promise<string> => {
  try {
    const code: unknown = await provider(serialNumber, signal === undefined ? undefined : { signal })
    return typeof code === 'string' ? code.trim() : ''
  } catch (e) {
    if (isCredentialError(e)) throw e
    throw new CredentialError(`${SOURCE}: the MFA code provider failed`, {
      code: 'SourceFailed',
      source: SOURCE,
      cause: e,
    })
  }
}
