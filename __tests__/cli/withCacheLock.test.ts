import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cacheKey, writeCache } from '../../lib/cli/cache'
import { credentialProcess } from '../../lib/cli/credentialProcess'
import { withCacheLock } from '../../lib/cli/withCacheLock'
import type { AwsCredentialIdentity } from '../../lib/types'
import { capture, tempDir } from './cliFixture'

const MINUTE = 60_000
const spec = { kind: 'session-token' } as const
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('credential-process with concurrent runs', () => {
  let dir: ReturnType<typeof tempDir>
  let clock: number
  let fetched: number
  let path: string
  const source = async (): Promise<AwsCredentialIdentity> => {
    fetched++
    await nextTick()
    return { accessKeyId: `ASIAFETCHED${fetched}`, secretAccessKey: 'S', sessionToken: 'T', expiration: new Date(clock + 60 * MINUTE) }
  }
  const run = async (sleep: (ms: number) => Promise<void> = nextTick): Promise<string> => {
    const out = capture()
    await credentialProcess({ source, spec, cacheDir: dir.path, env: {}, stdout: out.stream, stderr: capture().stream, now: () => clock, lock: { sleep } })
    return (JSON.parse(out.text()) as { AccessKeyId: string }).AccessKeyId
  }

  beforeEach(() => {
    dir = tempDir()
    clock = Date.now()
    fetched = 0
    path = join(dir.path, cacheKey(spec, {}))
  })
  afterEach(() => dir.remove())

  it('refreshes once for runs started together: the others wait for the lock, then read the cache', async () => {
    const keys = await Promise.all([run(), run(), run()])
    expect(fetched).toBe(1)
    expect(keys).toEqual(['ASIAFETCHED1', 'ASIAFETCHED1', 'ASIAFETCHED1'])
    expect(readdirSync(dir.path)).toEqual([cacheKey(spec, {})])
  })

  it('waits while another run holds the lock and uses what that run cached, without calling the source', async () => {
    writeFileSync(`${path}.lock`, '12345')
    const key = await run(async () => {
      writeCache(path, dir.path, { credentials: { accessKeyId: 'ASIAOTHERRUN', secretAccessKey: 'S', expiration: new Date(clock + 60 * MINUTE) }, issuedAt: clock })
      writeFileSync(`${path}.lock`, '') // still held on the first look...
      await nextTick()
      rmSync(`${path}.lock`) // ...then released
    })
    expect(key).toBe('ASIAOTHERRUN')
    expect(fetched).toBe(0)
  })

  it('takes over a lock left by a crashed run once it is older than staleMs', async () => {
    writeFileSync(`${path}.lock`, '12345')
    const old = new Date(Date.now() - 3 * MINUTE)
    utimesSync(`${path}.lock`, old, old)
    expect(await run(() => Promise.reject(new Error('must not wait')))).toBe('ASIAFETCHED1')
    expect(existsSync(`${path}.lock`)).toBe(false)
  })
})

describe('withCacheLock', () => {
  it('releases the lock when the function throws, and runs unlocked where no lock can be made', async () => {
    const dir = tempDir()
    try {
      const lock = join(dir.path, 'x.lock')
      await expect(withCacheLock(lock, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
      expect(existsSync(lock)).toBe(false)
      writeFileSync(join(dir.path, 'file'), '')
      await expect(withCacheLock(join(dir.path, 'file', 'x.lock'), async () => 'ran')).resolves.toBe('ran')
    } finally {
      dir.remove()
    }
  })

  it('does not remove a lock that another run took over while this one was slow', async () => {
    const dir = tempDir()
    try {
      const lock = join(dir.path, 'x.lock')
      await withCacheLock(lock, async () => {
        writeFileSync(lock, '999 another run') // this run was judged stale and another took over
      })
      expect(existsSync(lock)).toBe(true)
    } finally {
      dir.remove()
    }
  })
})
