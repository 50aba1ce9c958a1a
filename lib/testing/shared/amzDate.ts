import type { IncomingHttpHeaders } from 'node:http'

/** A header's value, repeated values joined by commas (as SigV4 canonicalizes them). */
export const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name]
  return Array.isArray(v) ? v.join(',') : v
}

/** `20260115T120000Z` to epoch ms. */
export const amzDateMs = (v: string): number =>
  Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8), +v.slice(9, 11), +v.slice(11, 13), +v.slice(13, 15))

/**
 * Checks a request's `X-Amz-Date` against the credential scope's date and the server clock
 * (AWS refuses a signature more than 5 minutes from its time: "Signature expired").
 * Returns `'date'` when the header is missing or outside the scope, `'skew'` when too far
 * from `nowMs`, undefined when it is good.
 */
export const checkAmzDate = (
  amzDate: string,
  scopeDate: string | undefined,
  nowMs: number,
  maxSkewMs: number,
): 'date' | 'skew' | undefined => {
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || (scopeDate !== undefined && !amzDate.startsWith(scopeDate))) return 'date'
  return Math.abs(nowMs - amzDateMs(amzDate)) > maxSkewMs ? 'skew' : undefined
}
