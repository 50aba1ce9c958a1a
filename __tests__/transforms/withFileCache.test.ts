import { chmodSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CredentialError } from '../../lib/errors'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { type FileCacheEvent, withFileCache } from '../../lib/transforms/withFileCache'
import { tempDir } from '../cli/cliFixture'
import { fakeSource } from '../support/fakeSource'

const MINUTE = 60_000

describe('withFileCache', () => {
  let dir: ReturnType<typeof tempDir>
  let clock: number
  const now = (): number => clock
  beforeEach(() => {
    dir = tempDir()
    clock = Date.now()
  })
  afterEach(() => dir.remove())

  it('serves the stored value while it is fresh by the refresh windows, across instances (processes)', async () => {
    const source = fakeSource(60 * MINUTE, now)
    const cached = (): ReturnType<ReturnType<typeof withFileCache>> =>
      withFileCache({ key: { role: 'a', base: 'me' }, dir: dir.path, now })(source)
    const first = await cached()()
    clock += 44 * MINUTE
    expect(await cached()()).toEqual(first)
    expect(await withFileCache({ key: { base: 'me', role: 'a' }, dir: dir.path, now })(source)()).toEqual(first) // key order does not matter
    expect(source.calls).toBe(1)
    clock += 2 * MINUTE // inside the 15-min advisory window of a 1-h lifetime
    expect((await cached()()).accessKeyId).not.toBe(first.accessKeyId)
    expect(source.calls).toBe(2)
  })

  it('writes one 0600 file per key, never the key itself, in a 0700 directory it creates', async () => {
    const nested = join(dir.path, 'cache')
    await withFileCache({ key: 'role-a', dir: nested, now })(fakeSource(60 * MINUTE, now))()
    await withFileCache({ key: 'role-b', dir: nested, now })(fakeSource(60 * MINUTE, now))()
    const files = readdirSync(nested)
    expect(files).toHaveLength(2)
    for (const f of files) {
      expect(f).toMatch(/^[0-9a-f]{64}\.json$/)
      expect(statSync(join(nested, f)).mode & 0o777).toBe(0o600)
    }
    expect(statSync(nested).mode & 0o777).toBe(0o700)
  })

  it('serves a stored still-valid value when the fetch fails (stale-served), and the error once it expired', async () => {
    const source = fakeSource(60 * MINUTE, now)
    const events: FileCacheEvent[] = []
    const cached = withFileCache({ key: 'k', dir: dir.path, now, onEvent: (e) => events.push(e) })(source)
    const first = await cached()
    source.failWith(new CredentialError('STS is down', { code: 'ServiceUnavailable', source: 'test' }))
    clock += 50 * MINUTE
    expect(await cached()).toEqual(first)
    expect(events).toEqual([
      {
        type: 'stale-served',
        error: expect.objectContaining({ code: 'ServiceUnavailable' }),
        expiration: first.expiration,
      },
    ])
    clock += 11 * MINUTE
    await expect(cached()).rejects.toMatchObject({ code: 'ServiceUnavailable' })
  })

  it('skips a stored value older than the call on forceRefresh, and stores nothing without expiration', async () => {
    const source = fakeSource(60 * MINUTE, now)
    const cached = withFileCache({ key: 'k', dir: dir.path, now })(source)
    const first = await cached()
    expect((await cached({ forceRefresh: true })).accessKeyId).not.toBe(first.accessKeyId)
    const forever = fakeSource(undefined, now)
    const plain = withFileCache({ key: 'static', dir: dir.path, now })(forever)
    await plain()
    await plain()
    expect(forever.calls).toBe(2)
  })

  it('forceRefresh never answers with the entry it was asked to replace: not when it looks newer, not as a fallback', async () => {
    const source = fakeSource(60 * MINUTE, now)
    const events: FileCacheEvent[] = []
    const ahead = withFileCache({ key: 'k', dir: dir.path, now: () => clock + 10 * MINUTE })(source)
    const stored = await ahead() // stored by a process whose clock runs ahead: issued "after" the forced call
    const cached = withFileCache({ key: 'k', dir: dir.path, now, onEvent: (e) => events.push(e) })(source)
    const fresh = await cached({ forceRefresh: true })
    expect(fresh.accessKeyId).not.toBe(stored.accessKeyId)
    expect(source.calls).toBe(2)
    source.failWith(new CredentialError('STS is down', { code: 'ServiceUnavailable', source: 'test' }))
    await expect(cached({ forceRefresh: true })).rejects.toMatchObject({ code: 'ServiceUnavailable' })
    expect(events).toEqual([])
    expect(await cached()).toEqual(fresh) // an unforced call still gets the stored value
  })

  it('forceRefresh takes the value another process stored while it waited for the lock', async () => {
    const source = fakeSource(60 * MINUTE, now)
    const first = withFileCache({ key: 'k', dir: dir.path, now })(source)
    const second = withFileCache({ key: 'k', dir: dir.path, now })(source)
    const old = await first()
    source.hold()
    const a = first({ forceRefresh: true })
    const b = second({ forceRefresh: true }) // waits for the lock a holds while its fetch is held
    source.release()
    const [x, y] = await Promise.all([a, b])
    expect(x.accessKeyId).not.toBe(old.accessKeyId)
    expect(y).toEqual(x)
    expect(source.calls).toBe(2)
  })

  it('refuses a directory others can write, at call time, before reading it', async () => {
    chmodSync(dir.path, 0o777)
    const source = fakeSource(60 * MINUTE, now)
    await expect(withFileCache({ key: 'k', dir: dir.path, now })(source)()).rejects.toMatchObject({
      code: 'InvalidConfiguration',
    })
    expect(source.calls).toBe(0)
  })

  it('under withRefresh: one source call for concurrent callers', async () => {
    const source = fakeSource(60 * MINUTE, now)
    const provider = withRefresh({ now })(withFileCache({ key: 'k', dir: dir.path, now })(source))
    await Promise.all([provider(), provider(), provider()])
    provider.close()
    expect(source.calls).toBe(1)
  })

  it('rejects bad options at construction', () => {
    for (const bad of [
      { key: '' },
      { key: {} },
      { key: 'k', dir: '' },
      { key: 'k', lockTimeoutMs: 0 },
      { key: 'k', now: 1 },
      undefined,
    ])
      expect(() => withFileCache(bad as never)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
  })
})
