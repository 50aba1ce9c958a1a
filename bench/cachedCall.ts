// The cached call: a provider holding a fresh value, against smithy's `memoize` with the
// SDK's own 5-minute expiry test (what fromTemporaryCredentials and the default chain use)
// and against the floor (a bare async function; an already-resolved promise plus a clock read).
import { memoize } from '@smithy/property-provider'
import type { AwsCredentialIdentity } from '@smithy/types'
import { lib } from './dist'
import { type Figure, fmtNs, heading, info, interleave, smoke } from './harness'

const HOUR = 3_600_000
const creds = (): AwsCredentialIdentity => ({
  accessKeyId: 'ASIABENCH',
  secretAccessKey: 's',
  sessionToken: 't',
  expiration: new Date(Date.now() + HOUR),
})
/** The SDK's test (`@aws-sdk/credential-providers`, `fromTemporaryCredentials`): refresh in the last 5 minutes. */
const sdkIsExpired = (c: AwsCredentialIdentity): boolean =>
  c.expiration !== undefined && c.expiration.getTime() - Date.now() < 300_000

export const cachedCall = async (): Promise<Figure[]> => {
  heading('Cached call (fresh value), time per awaited call, median of interleaved rounds')
  const value = creds()
  const resolved = Promise.resolve(value)
  const ours = lib.withRefresh()(async () => creds())
  const smithy = memoize(
    async () => creds(),
    sdkIsExpired,
    (c) => c.expiration !== undefined,
  )
  await ours()
  await smithy()
  const t = await interleave(
    [
      { name: 'withRefresh', fn: ours },
      { name: 'memoize', fn: smithy },
      { name: 'bare', fn: async () => value },
      { name: 'resolved', fn: () => (Date.now(), resolved) },
    ],
    { calls: smoke ? 2_000 : 100_000, rounds: smoke ? 3 : 15 },
  )
  ours.close()
  const [o, m, b, r] = ['withRefresh', 'memoize', 'bare', 'resolved'].map((k) => t.get(k) ?? Number.NaN) as [
    number,
    number,
    number,
    number,
  ]
  info('bare `async () => creds`', fmtNs(b))
  info('already-resolved promise + Date.now()', fmtNs(r))
  const floor = Math.min(b, r)
  return [
    {
      label: 'withRefresh cached call vs smithy memoize (5-min SDK test)',
      value: fmtNs(o),
      anchor: fmtNs(m),
      ratio: o / m,
      target: '<= 0.8x',
      ok: o / m <= 0.8,
    },
    {
      label: 'withRefresh cached call vs the floor (cheaper of the two above)',
      value: fmtNs(o),
      anchor: fmtNs(floor),
      ratio: o / floor,
      target: '<= 2x',
      ok: o / floor <= 2,
    },
  ]
}
