import { decide, NO_POINTS, type PolicyState, refreshPoints, retryTimerAt } from '../../lib/refresh/policy'

const MIN = 60_000
// A value cached at 0 that expires at 60 min: advisory window from 45 min, mandatory from 59 min.
const cached: PolicyState = { value: {}, refreshAt: 45 * MIN, mandatoryAt: 59 * MIN, expiresAt: 60 * MIN, retryAt: 0 }
const backingOff: PolicyState = { ...cached, retryAt: 59.5 * MIN }
const cold: PolicyState = { value: undefined, ...NO_POINTS, retryAt: 0 }

describe('decide', () => {
  it.each([
    ['nothing cached (rule 1)', cold, 0, false, 'cold'],
    ['nothing cached, forced (rule 2)', cold, 0, true, 'forced'],
    ['fresh value, forced (rule 2)', cached, 10 * MIN, true, 'forced'],
    ['before the refresh point (rule 3)', cached, 10 * MIN, false, 'fresh'],
    ['just before the refresh point (rule 3)', cached, 45 * MIN - 1, false, 'fresh'],
    ['at the refresh point (rule 4)', cached, 45 * MIN, false, 'advisory'],
    ['inside the advisory window (rule 4)', cached, 50 * MIN, false, 'advisory'],
    ['advisory window during a back-off (rule 4)', backingOff, 50 * MIN, false, 'fresh'],
    ['at the mandatory point (rule 5)', cached, 59 * MIN, false, 'wait'],
    ['mandatory window during a back-off (rule 5)', backingOff, 59 * MIN, false, 'stale'],
    ['mandatory window after the back-off (rule 5)', backingOff, 59.5 * MIN, false, 'wait'],
    ['at expiry (rule 5: never an expired value)', cached, 60 * MIN, false, 'expired'],
    ['after expiry during a back-off', backingOff, 61 * MIN, false, 'expired'],
    [
      'no expiration (rule 7)',
      { ...cached, refreshAt: Infinity, mandatoryAt: Infinity, expiresAt: Infinity },
      1e15,
      false,
      'fresh',
    ],
  ] as const)('%s', (_, state, now, forced, expected) => {
    expect(decide(state, now, forced)).toEqual(expected)
  })
})

describe('refreshPoints', () => {
  const options = { earlyMs: undefined, mandatoryMs: MIN, jitter: 0 }
  it.each([
    // lifetime, options, random -> [refresh point, mandatory point] before expiry
    ['1 h, default window of 15 min (rule 6)', 60 * MIN, options, 0, [15 * MIN, MIN]],
    ['2 h, default window of 60 min (rule 6)', 120 * MIN, options, 0, [60 * MIN, MIN]],
    ['15 min, default 5 min (rule 6)', 15 * MIN, options, 0, [5 * MIN, MIN]],
    ['2 min: windows capped at half the lifetime (rule 6)', 2 * MIN, options, 0, [MIN, 0.5 * MIN]],
    ['earlyMs given', 60 * MIN, { ...options, earlyMs: 10 * MIN }, 0, [10 * MIN, MIN]],
    ['jitter widens the window by its share', 60 * MIN, { ...options, jitter: 0.1 }, 0.5, [15.75 * MIN, MIN]],
    [
      'jitter never brings the refresh point within a quarter of the lifetime',
      2 * MIN,
      { ...options, jitter: 1 },
      0.999,
      [1.5 * MIN, 0.5 * MIN],
    ],
  ] as const)('%s', (_, lifetimeMs, o, random, [early, mandatory]) => {
    const at = 1_000_000
    const p = refreshPoints(at + lifetimeMs, at, { ...o, random: () => random })
    expect([p.expiresAt - p.refreshAt, p.expiresAt - p.mandatoryAt]).toEqual([early, mandatory])
    expect(p.expiresAt).toBe(at + lifetimeMs)
  })

  it('an unbounded lifetime never reaches a refresh point', () => {
    expect(refreshPoints(Infinity, 0, { ...options, random: () => 0 })).toMatchObject({
      refreshAt: Infinity,
      mandatoryAt: Infinity,
    })
  })
})

describe('retryTimerAt', () => {
  it.each([
    ['the end of the back-off, inside the windows', cached, 50 * MIN, 50 * MIN],
    ['never before the refresh point (a failed forced refresh, rule 3)', cached, 10 * MIN, 45 * MIN],
    ['no timer once the value would have expired', cached, 61 * MIN, Infinity],
    ['no timer with nothing cached', cold, 10, Infinity],
  ] as const)('%s', (_, state, retryAt, expected) => {
    expect(retryTimerAt({ ...state, retryAt })).toBe(expected)
  })
})
