import { randomUUID } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Options of {@link withCacheLock}.
 */
export type CacheLockOptions = {
  /** Waits between two tries. @default an unref'd setTimeout */
  readonly sleep?: (ms: number) => Promise<void>
  /** A lock file older than this is left over from a crashed run and is taken over. @default 120_000 (room for an MFA prompt) */
  readonly staleMs?: number
  /** Time between two tries. @default 100 */
  readonly pollMs?: number
}

type Attempt = 'locked' | 'busy' | 'unavailable'

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref())

/** Creates the lock file exclusively (and its directory, mode 0700), holding `owner`. */
const tryLock = (path: string, owner: string): Attempt => {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  } catch {
    return 'unavailable'
  }
  try {
    const fd = openSync(path, 'wx', 0o600)
    writeSync(fd, owner)
    closeSync(fd)
    return 'locked'
  } catch (e) {
    return (e as { code?: unknown }).code === 'EEXIST' ? 'busy' : 'unavailable'
  }
}

/** Removes a stale lock; false when it cannot be removed. */
const breakLock = (path: string): boolean => {
  try {
    rmSync(path, { force: true })
    return true
  } catch {
    return false
  }
}

/** Age by the file system's clock (real time, whatever clock the caller runs on). */
const ageMs = (path: string): number => {
  try {
    return Date.now() - statSync(path).mtimeMs
  } catch {
    return 0 // removed meanwhile: the next try takes it
  }
}

/**
 * Runs `fn` while holding the lock file `path` (created exclusively, removed afterwards),
 * so that runs started together refresh once and ask for one MFA code: the others wait,
 * then find the new credentials in the cache. A lock older than `staleMs` is taken over.
 * Where no lock can be created at all (a read-only directory), `fn` runs unlocked: the
 * cache is an optimization, never a reason to fail.
 * @throws whatever `fn` throws.
 */
export const withCacheLock = async <T>(path: string, fn: () => Promise<T>, options: CacheLockOptions = {}): Promise<T> => {
  const sleep = options.sleep ?? defaultSleep
  const staleMs = options.staleMs ?? 120_000
  const owner = `${process.pid} ${randomUUID()}`
  let attempt: Attempt
  while ((attempt = tryLock(path, owner)) === 'busy') {
    if (ageMs(path) <= staleMs) await sleep(options.pollMs ?? 100)
    else if (!breakLock(path)) return fn()
  }
  if (attempt === 'unavailable') return fn()
  try {
    return await fn()
  } finally {
    releaseLock(path, owner)
  }
}

/** Removes the lock only if it is still ours: a slow run must not remove the lock of a run that took over a stale one. */
const releaseLock = (path: string, owner: string): void => {
  try {
    if (readFileSync(path, 'utf8') === owner) rmSync(path, { force: true })
  } catch {
    // already gone
  }
}
