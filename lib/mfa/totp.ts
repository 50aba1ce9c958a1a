import type { CredentialError } from '../errors.js'
import { isBase32Secret } from '../internal/base32.js'
import { guarded, invalidConfiguration, requireObject } from '../internal/validate.js'

/**
 * Options of {@link totp}.
 *
 * @category mfa
 * @since 0.1.0
 */
export type TotpOptions = {
  /** The clock, epoch ms. @default Date.now */
  readonly now?: () => number
  /** Waits `ms`; used to wait for the next time step. @default a setTimeout (ref'd: the caller is waiting for it, so it keeps the process alive) */
  readonly sleep?: (ms: number) => Promise<void>
  /** The time step, a positive whole number of seconds. @default 30 (what AWS virtual MFA devices use) */
  readonly periodSeconds?: number
}

const SOURCE = 'totp'

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const invalid = (message: string): CredentialError => invalidConfiguration(SOURCE, message)

const validate = (options: TotpOptions): void => {
  requireObject(SOURCE, 'options', options)
  const { periodSeconds } = options
  if (periodSeconds !== undefined && !(Number.isSafeInteger(periodSeconds) && periodSeconds > 0))
    throw invalid(`periodSeconds must be a positive whole number of seconds (got ${String(periodSeconds)})`)
  for (const key of ['now', 'sleep'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw invalid(`${key} must be a function`)
  }
}

/**
 * An MFA code provider computing RFC 6238 codes (SHA-1, 6 digits) from the device's base32
 * secret, with otplib (its CommonJS-safe `@otplib/totp` core and node:crypto). It remembers the last time step it answered for and never returns
 * the same code twice: asked again within one step, it waits for the next step. Calls are
 * served one at a time. The secret is never put in an error.
 *
 * @throws CredentialError `InvalidConfiguration` at construction for a secret that is not base32,
 * a `periodSeconds` that is not a positive integer, or a `now` or `sleep` that is not a function.
 * @example
 * ```ts
 * pipe(fromAssumeRole({ RoleArn, SerialNumber }), withMfa(totp(process.env.MFA_SECRET!)))
 * ```
 * @category mfa
 * @since 0.1.0
 */
export const totp = (base32Secret: string, given: TotpOptions = {}): ((serialNumber: string) => Promise<string>) => {
  // Checked here without otplib: a bad secret fails at construction, never at call time.
  const secret =
    typeof base32Secret === 'string' && base32Secret.length <= 1024
      ? base32Secret.replace(/\s+/g, '').toUpperCase()
      : ''
  if (!isBase32Secret(secret))
    throw invalid('the MFA secret must be base32 (A–Z, 2–7) of 80 to 512 bits (16 to 103 characters)')
  const options = guarded(SOURCE, () => {
    validate(given)
    return { ...given }
  })
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? defaultSleep
  const periodMs = (options.periodSeconds ?? 30) * 1000
  let lastStep = -1
  let queue: Promise<unknown> = Promise.resolve()
  const next = async (): Promise<string> => {
    let step = Math.floor(now() / periodMs)
    while (step <= lastStep) {
      await sleep((lastStep + 1) * periodMs - now())
      step = Math.floor(now() / periodMs)
    }
    lastStep = step
    // otplib loads with the first code, not with the package.
    const { totpCode } = await import('../internal/otp.js')
    return totpCode(secret, (step * periodMs) / 1000, periodMs / 1000)
  }
  return () => {
    const result = queue.then(next, next)
    queue = result.catch(() => undefined)
    return result
  }
}
