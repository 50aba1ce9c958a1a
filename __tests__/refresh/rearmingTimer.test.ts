import { rearmingTimer } from '../../lib/refresh/rearmingTimer'

beforeEach(() => {
  jest.useFakeTimers({ now: 0 })
})
afterEach(() => {
  jest.useRealTimers()
})

const setup = () => {
  const due: number[] = []
  const schedule = rearmingTimer(Date.now, () => due.push(Date.now()))
  return { schedule, due }
}

describe('rearmingTimer', () => {
  it('keeps the pending timer when the target moves later, and re-arms it when it fires early', () => {
    const { schedule, due } = setup()
    const created = jest.spyOn(global, 'setTimeout')
    schedule(100)
    schedule(300)
    schedule(200)
    expect(created).toHaveBeenCalledTimes(1)
    jest.advanceTimersByTime(100)
    expect(due).toEqual([])
    expect(jest.getTimerCount()).toBe(1)
    expect(created).toHaveBeenCalledTimes(2)
    jest.advanceTimersByTime(100)
    expect(due).toEqual([200])
  })

  it('replaces the pending timer when the target moves earlier', () => {
    const { schedule, due } = setup()
    schedule(300)
    schedule(100)
    expect(jest.getTimerCount()).toBe(1)
    jest.advanceTimersByTime(100)
    expect(due).toEqual([100])
    jest.advanceTimersByTime(1000)
    expect(due).toEqual([100])
  })

  it('Infinity disarms', () => {
    const { schedule, due } = setup()
    schedule(100)
    schedule(Infinity)
    expect(jest.getTimerCount()).toBe(0)
    jest.advanceTimersByTime(1000)
    expect(due).toEqual([])
  })

  it('splits a delay longer than setTimeout honours', () => {
    const { schedule, due } = setup()
    const at = 3 * 2 ** 31
    schedule(at)
    jest.advanceTimersByTime(2 ** 31)
    expect(due).toEqual([])
    jest.advanceTimersByTime(at - 2 ** 31)
    expect(due).toEqual([at])
  })
})
