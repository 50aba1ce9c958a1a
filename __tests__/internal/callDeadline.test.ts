import { CredentialError } from '../../lib/errors'
import { callDeadline } from '../../lib/internal/callDeadline'

describe('callDeadline', () => {
  beforeEach(() => jest.useFakeTimers())
  afterEach(() => jest.useRealTimers())

  it('aborts with a retryable Timeout at timeoutMs, not before', () => {
    const { signal, dispose } = callDeadline({
      source: 'src',
      timeoutMs: 100,
      signal: undefined,
      timeoutMessage: 'no answer within 100 ms',
    })
    jest.advanceTimersByTime(99)
    expect(signal.aborted).toBe(false)
    jest.advanceTimersByTime(1)
    expect(signal.reason).toMatchObject({
      code: 'Timeout',
      retryable: true,
      source: 'src',
      message: 'src: no answer within 100 ms',
    })
    dispose()
  })

  it("maps the caller's abort to Aborted, passes a caller's CredentialError as is, and uses `aborted` when given", () => {
    const outer = new AbortController()
    const a = callDeadline({ source: 'src', timeoutMs: 100, signal: outer.signal, timeoutMessage: 't' })
    outer.abort(new Error('stop'))
    expect(a.signal.reason).toMatchObject({ code: 'Aborted', source: 'src' })
    const own = new CredentialError('mine', { code: 'Throttled', source: 'other' })
    const b = callDeadline({ source: 'src', timeoutMs: 100, signal: AbortSignal.abort(own), timeoutMessage: 't' })
    expect(b.signal.reason).toBe(own)
    const custom = new CredentialError('custom', { code: 'Timeout', source: 'src' })
    const c = callDeadline({
      source: 'src',
      timeoutMs: 100,
      signal: AbortSignal.abort(),
      timeoutMessage: 't',
      aborted: () => custom,
    })
    expect(c.signal.reason).toBe(custom)
    for (const d of [a, b, c]) d.dispose()
  })

  it('dispose() clears the timer: nothing fires afterwards', () => {
    const { signal, dispose } = callDeadline({ source: 'src', timeoutMs: 100, signal: undefined, timeoutMessage: 't' })
    dispose()
    expect(jest.getTimerCount()).toBe(0)
    jest.advanceTimersByTime(1000)
    expect(signal.aborted).toBe(false)
  })
})
