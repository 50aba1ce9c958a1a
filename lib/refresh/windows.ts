import { invalidConfiguration, kindOf } from '../internal/validate.js'
import { type RefreshWindows, windowsFor } from './lifetimeWindows.js'

export { defaultEarlyMs, type RefreshWindows } from './lifetimeWindows.js'

const MINUTE = 60_000

/**
 * Windows scaled to the lifetime: the advisory window is `earlyMs` (or
 * {@link defaultEarlyMs}), the mandatory one `mandatoryMs`; each is capped at half the
 * lifetime, and the mandatory window at half the advisory one, so short-lived
 * credentials are refreshed about once per half-life and never on every call.
 *
 * @throws CredentialError `InvalidConfiguration` for a negative or non-number argument (checked on every call: it is pure).
 * @example
 * ```ts
 * refreshWindows(15 * 60_000) // { advisoryMs: 300_000, mandatoryMs: 60_000 }
 * refreshWindows(60_000)      // { advisoryMs: 30_000, mandatoryMs: 15_000 }
 * ```
 * @category refresh
 * @since 0.1.0
 */
export const refreshWindows = (lifetimeMs: number, earlyMs?: number, mandatoryMs = MINUTE): RefreshWindows => {
  for (const [name, v] of [
    ['lifetimeMs', lifetimeMs],
    ['earlyMs', earlyMs],
    ['mandatoryMs', mandatoryMs],
  ] as const)
    if ((v !== undefined || name === 'lifetimeMs') && !(typeof v === 'number' && v >= 0))
      throw invalidConfiguration(
        'refreshWindows',
        `${name} must be a number of milliseconds, 0 or more (got ${kindOf(v)})`,
      )
  return windowsFor(lifetimeMs, earlyMs, mandatoryMs)
}
