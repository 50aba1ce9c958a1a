import { verifyTotp } from '../../internal/otp.js'
import { stsError } from './types.js'

/** An MFA device the emulator knows: its serial, base32 TOTP secret and time step. */
export type MfaDevice = { readonly serialNumber: string; readonly secret: string; readonly periodSeconds?: number }

const MFA_FAILED = 'MultiFactorAuthentication failed with invalid MFA one time pass code. '

/**
 * Checks `TokenCode` as a TOTP (±one step) of the device `serial`, refusing a code that was
 * already used for it, as AWS does. Throws the STS error spec on failure.
 */
export const checkMfa = (
  devices: readonly MfaDevice[],
  used: Map<string, Set<string>>,
  serial: string | undefined,
  code: string | undefined,
  nowMs: number,
): void => {
  if (serial === undefined || code === undefined)
    throw stsError(403, 'AccessDenied', 'MultiFactorAuthentication is required: send SerialNumber and TokenCode.')
  if (!/^\d{6}$/.test(code))
    throw stsError(400, 'ValidationError', "Value at 'tokenCode' failed to satisfy constraint: 6 digits.")
  const device = devices.find((d) => d.serialNumber === serial)
  if (!device)
    throw stsError(
      403,
      'AccessDenied',
      'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.',
    )
  const seen = used.get(serial) ?? new Set<string>()
  used.set(serial, seen)
  if (seen.has(code)) throw stsError(403, 'AccessDenied', MFA_FAILED)
  const period = device.periodSeconds ?? 30
  if (!verifyTotp(device.secret, code, Math.floor(nowMs / 1000), period, period))
    throw stsError(403, 'AccessDenied', MFA_FAILED)
  seen.add(code)
}
