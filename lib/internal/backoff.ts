/**
 * Jittered exponential back-off: the n-th consecutive failure waits between half and all
 * of `min(maxMs, baseMs * 2^(n-1))` ("equal jitter" in the AWS Architecture Blog's
 * "Exponential Backoff And Jitter").
 *
 * @internal
 */
export const backoffMs = (failures: number, baseMs: number, maxMs: number, random: () => number): number => {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1))
  return ceiling / 2 + random() * (ceiling / 2)
}
