// A cold provider under a stampede: 10 000 concurrent first calls, one source call.
// Anchor: smithy's memoize over the same source (also one call: it shares the pending promise).
import { memoize } from '@smithy/property-provider'
import type { AwsCredentialIdentity } from '@smithy/types'
import { lib } from './dist'
import { type Figure, heading, sleep } from './harness'

const creds = (): AwsCredentialIdentity => ({
  accessKeyId: 'ASIABENCH',
  secretAccessKey: 's',
  expiration: new Date(Date.now() + 3_600_000),
})

export const coldStampede = async (): Promise<Figure[]> => {
  heading('Cold provider, 10 000 concurrent first callers')
  const counted = (): { calls: number; source: () => Promise<AwsCredentialIdentity> } => {
    const c = {
      calls: 0,
      source: async () => {
        c.calls += 1
        await sleep(5)
        return creds()
      },
    }
    return c
  }
  const ours = counted()
  const sdk = counted()
  const provider = lib.withRefresh()(ours.source)
  const smithy = memoize(
    sdk.source,
    (c) => (c.expiration?.getTime() ?? Infinity) - Date.now() < 300_000,
    () => true,
  )
  await Promise.all([
    ...Array.from({ length: 10_000 }, () => provider()),
    ...Array.from({ length: 10_000 }, () => smithy()),
  ])
  provider.close()
  return [
    {
      label: 'source calls for 10 000 concurrent cold callers vs memoize',
      value: String(ours.calls),
      anchor: String(sdk.calls),
      ratio: ours.calls / sdk.calls,
      target: '1 call',
      ok: ours.calls === 1,
    },
  ]
}
