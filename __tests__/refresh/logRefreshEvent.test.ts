import { withRefresh } from '../../lib/refresh/withRefresh'
import { recordingLogger } from '../support/recordingLogger'

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z'), doNotFake: ['setImmediate', 'nextTick'] })
})
afterEach(() => {
  jest.useRealTimers()
})

describe('withRefresh logger lines', () => {
  it('logs a value without expiration with "never" as its next refresh', async () => {
    const logger = recordingLogger()
    const provider = withRefresh({ logger })(async () => ({ accessKeyId: 'AKIDLONGTERM1234', secretAccessKey: 's' }))
    await provider()
    const [line] = logger.at('info')
    expect(line).toMatch(/^source: \{"type":"refresh-succeeded","reason":"cold","at":"2026-01-01T00:00:00\.000Z",/)
    expect(line).toContain('"refreshAt":"never"')
    provider.close()
  })

  it('a time that is not a finite number logs as "never" and never breaks the refresh', async () => {
    const logger = recordingLogger()
    // A `random` that answers NaN makes the jittered refresh point NaN.
    const provider = withRefresh({ logger, random: () => Number.NaN })(async () => ({
      accessKeyId: 'ASIAEXAMPLE1234',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date(Date.now() + 3_600_000),
    }))
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLE1234' })
    expect(logger.at('info')[0]).toContain('"refreshAt":"never"')
    provider.close()
  })
})
