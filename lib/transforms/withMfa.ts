import { CredentialError, isCredentialError } from '../errors.js'
import { inherit } from '../internal/inherit.js'
import type { CredentialSource, MfaCapableSource, SourceContext } from '../types.js'

/**
 * Gives the one-time code of the MFA device `serialNumber`: `totp()`, `promptForCode()`,
 * `codeFromCommand()` or your own function.
 *
 * @category mfa
 * @since 0.1.0
 */
export type MfaCodeProvider = (serialNumber: string) => string | Promise<string>

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
 * @throws CredentialError `InvalidConfiguration` when no serial is known (at pipe time);
 * at call time `MfaCodeInvalid` (not 6 digits), `MfaCodeReused`, `SourceFailed` (the code
 * provider failed; its own `CredentialError` passes through), and whatever the source throws.
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
export const withMfa = (codeProvider: MfaCodeProvider, options: WithMfaOptions = {}): ((self: MfaCapableSource) => CredentialSource) => {
  const lastSent = new Map<string, string>()
  // Asking and recording are serialized, so concurrent calls cannot both send one code.
  let turn: Promise<unknown> = Promise.resolve()
  const nextCode = (serialNumber: string): Promise<string> => {
    const code = turn.then(async () => {
      const fresh = await freshCode(codeProvider, serialNumber, lastSent.get(serialNumber))
      lastSent.set(serialNumber, fresh)
      return fresh
    })
    turn = code.catch(() => undefined)
    return code
  }
  return (self) => {
    const serialNumber = self.mfaSerialNumber ?? options.serialNumber
    if (serialNumber === undefined)
      throw new CredentialError(`${SOURCE}: no MFA serial: set SerialNumber on the source or withMfa's serialNumber option`, {
        code: 'InvalidConfiguration',
        source: SOURCE,
      })
    const wrapped = async (context?: SourceContext) => {
      const tokenCode = await nextCode(serialNumber)
      return self({ ...context, mfa: { serialNumber, tokenCode } })
    }
    Object.defineProperty(wrapped, 'name', { value: self.name, configurable: true })
    return inherit(wrapped, self)
  }
}

const freshCode = async (provider: MfaCodeProvider, serialNumber: string, last: string | undefined): Promise<string> => {
  for (let asked = 0; asked <= MAX_REASKS; asked++) {
    const code = await ask(provider, serialNumber)
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

const ask = async (provider: MfaCodeProvider, serialNumber: string): Promise<string> => {
  try {
    const code: unknown = await provider(serialNumber)
    return typeof code === 'string' ? code.trim() : ''
  } catch (e) {
    if (isCredentialError(e)) throw e
    throw new CredentialError(`${SOURCE}: the MFA code provider failed`, { code: 'SourceFailed', source: SOURCE, cause: e })
  }
}
