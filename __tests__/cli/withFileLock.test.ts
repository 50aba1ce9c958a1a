import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { withFileLock } from '../../lib/internal/fileCache/withFileLock'
import { tempDir } from './cliFixture'

const MINUTE = 60_000
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid
const owner = (pid: number, host = hostname()): string => JSON.stringify({ pid, host, id: 'someone-else' })

describe('withFileLock', () => {
  let dir: ReturnType<typeof tempDir>
  let lock: string
  beforeEach(() => {
    dir = tempDir()
    lock = join(dir.path, 'x.lock')
  })
  afterEach(() => dir.remove())

  const fast = { pollMs: 5, timeoutMs: 300 }
  const run = (): Promise<string> =>
    withFileLock(
      lock,
      async () => {
        expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() })
        return 'ran'
      },
      fast,
    )

  it('takes over at once the lock of a dead owner on this host', async () => {
    writeFileSync(lock, owner(deadPid()))
    const started = Date.now()
    await expect(run()).resolves.toBe('ran')
    expect(Date.now() - started).toBeLessThan(250)
    expect(existsSync(lock)).toBe(false)
  })

  it('waits for a live owner, then gives up after timeoutMs with Timeout', async () => {
    writeFileSync(lock, owner(process.ppid))
    await expect(run()).rejects.toMatchObject({ code: 'Timeout', message: expect.stringContaining(lock) })
    expect(existsSync(lock)).toBe(true)
  })

  it('stops waiting with Aborted when the signal aborts', async () => {
    writeFileSync(lock, owner(process.ppid))
    const controller = new AbortController()
    const p = withFileLock(lock, async () => 'ran', { pollMs: 5, signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(p).rejects.toMatchObject({ code: 'Aborted' })
  })

  it('removes a symlink, a dangling symlink or a directory at the lock path, never following it', async () => {
    const target = join(dir.path, 'target')
    writeFileSync(target, 'precious')
    symlinkSync(target, lock)
    await expect(run()).resolves.toBe('ran')
    expect(readFileSync(target, 'utf8')).toBe('precious')
    symlinkSync(join(dir.path, 'nowhere'), lock)
    await expect(run()).resolves.toBe('ran')
    expect(existsSync(join(dir.path, 'nowhere'))).toBe(false)
    mkdirSync(lock)
    await expect(run()).resolves.toBe('ran')
  })

  it('takes over a lock with a future mtime, one older than staleMs, and garbage that is not being written', async () => {
    writeFileSync(lock, owner(process.ppid))
    const future = new Date(Date.now() + 60 * MINUTE)
    utimesSync(lock, future, future)
    await expect(run()).resolves.toBe('ran')
    writeFileSync(lock, owner(process.ppid, 'another-host'))
    const old = new Date(Date.now() - 3 * MINUTE)
    utimesSync(lock, old, old)
    await expect(run()).resolves.toBe('ran')
    writeFileSync(lock, 'not json')
    const recent = new Date(Date.now() - 5_000)
    utimesSync(lock, recent, recent)
    await expect(run()).resolves.toBe('ran')
  })

  it('releases the lock when fn throws, and never removes a lock another run took over', async () => {
    await expect(withFileLock(lock, () => Promise.reject(new Error('boom')), fast)).rejects.toThrow('boom')
    expect(existsSync(lock)).toBe(false)
    await withFileLock(lock, async () => writeFileSync(lock, owner(process.ppid)), fast)
    expect(existsSync(lock)).toBe(true)
  })

  it('keeps a held lock fresh while its owner works past staleMs (an MFA prompt), so no waiter takes it over', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] })
    try {
      const order: string[] = []
      let answer!: () => void
      const slow = { staleMs: 2 * MINUTE, timeoutMs: 10 * MINUTE, pollMs: 1_000 }
      const owner = withFileLock(
        lock,
        () => {
          order.push('owner prompts')
          return new Promise<void>((r) => (answer = r)).then(() => void order.push('owner done'))
        },
        slow,
      )
      const waiter = withFileLock(lock, async () => void order.push('waiter runs'), slow)
      await jest.advanceTimersByTimeAsync(5 * MINUTE) // the owner's prompt outlasts staleMs
      expect(order).toEqual(['owner prompts'])
      answer()
      await jest.advanceTimersByTimeAsync(2_000)
      await Promise.all([owner, waiter])
      expect(order).toEqual(['owner prompts', 'owner done', 'waiter runs'])
      expect(jest.getTimerCount()).toBe(0) // the heartbeat ends with the lock
      await expect(withFileLock(lock, () => Promise.reject(new Error('prompt failed')), slow)).rejects.toThrow(
        'prompt failed',
      )
      expect(jest.getTimerCount()).toBe(0)
      expect(existsSync(lock)).toBe(false)
    } finally {
      jest.useRealTimers()
    }
  })

  it("the owner's heartbeat never keeps the process alive", async () => {
    const refTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const before = refTimers()
    let done!: () => void
    const held = withFileLock(lock, () => new Promise<void>((r) => (done = r)), { ...fast, staleMs: 40 })
    await new Promise((r) => setImmediate(r))
    const during = refTimers()
    done()
    await held
    expect(during).toBe(before) // getActiveResourcesInfo lists ref'd timers only
  })

  it('runs unlocked where no lock can be made at all', async () => {
    writeFileSync(join(dir.path, 'file'), '')
    await expect(withFileLock(join(dir.path, 'file', 'x.lock'), async () => 'ran', fast)).resolves.toBe('ran')
  })
})
