/**
 * Jittered exponential back-off: the n-th consecutive failure (n >= 1, as both callers count)
 * waits between half and all of `min(maxMs, baseMs * 2^(n-1))` ("equal jitter" in the AWS
 * Architecture Blog's "Exponential Backoff And Jitter").
 *
 * @internal
 */
export const backoffMs = (failures: number, baseMs: number, maxMs: number, random: () => number): number =>
  (Math.min(maxMs, baseMs * 2 ** (failures - 1)) / 2) * (1 + random())
