import { randomUUID } from 'node:crypto'
import {
  closeSync,
  constants,
  futimesSync,
  lstatSync,
  openSync,
  readFileSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { CredentialError } from '../../errors.js'

/**
 * Options of {@link withFileLock}.
 * @internal
 */
export type FileLockOptions = {
  /** A waiter gives up after this long with `Timeout`. @default 180_000 (room for an MFA prompt) */
  readonly timeoutMs?: number | undefined
  /**
   * A lock whose mtime is older than this is taken over even if its owner looks alive (another
   * host, a reused PID, a hung process). Its owner refreshes the mtime every quarter of it.
   * @default 120_000
   */
  readonly staleMs?: number | undefined
  /** Time between two tries, jittered by ±50 %. @default 50 */
  readonly pollMs?: number | undefined
  /** Stops waiting with `Aborted`. */
  readonly signal?: AbortSignal | undefined
  /** Who reports errors. @default 'withFileCache' */
  readonly source?: string | undefined
}

type Owner = { readonly pid: number; readonly host: string; readonly id: string }
type Look = 'retry' | 'wait' | 'unavailable'

const noFollow = (): number => constants.O_NOFOLLOW ?? 0
/** An owner writes its line right after creating the file: an empty lock younger than this is being written. */
const WRITING_MS = 2_000

const parseOwner = (text: string): Owner | undefined => {
  try {
    const o = JSON.parse(text) as Partial<Owner>
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.id === 'string'
      ? (o as Owner)
      : undefined
  } catch {
    return undefined
  }
}

/** Whether the process is alive; EPERM means it exists under another user. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'
  }
}

/** The open lock file (kept open for the heartbeat), or why there is none. */
const create = (path: string, owner: Owner): number | 'busy' | 'unavailable' => {
  let fd: number
  try {
    // O_EXCL with O_CREAT fails on any existing path, a (dangling) symlink included: never followed.
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow(), 0o600)
  } catch (e) {
    return (e as { code?: string }).code === 'EEXIST' ? 'busy' : 'unavailable'
  }
  try {
    writeSync(fd, JSON.stringify(owner))
    return fd
  } catch {
    closeSync(fd)
    return 'unavailable'
  }
}

/**
 * Touches the held lock's mtime every `everyMs`, so that waiters never judge it abandoned
 * while its owner works (an MFA prompt may take minutes). Through the open descriptor: a lock
 * taken over meanwhile is another file, never touched. Unref'd: the owner awaits its own work,
 * which keeps the process alive. Returns what stops it and closes the descriptor.
 */
const heartbeat = (fd: number, everyMs: number): (() => void) => {
  const timer = setInterval(() => {
    try {
      const t = new Date()
      futimesSync(fd, t, t)
    } catch {
      // The lock file is gone or unwritable: waiters fall back to the owner check.
    }
  }, everyMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
  }
}

const readLock = (path: string): string | undefined => {
  try {
    const fd = openSync(path, constants.O_RDONLY | noFollow() | (constants.O_NONBLOCK ?? 0))
    try {
      return readFileSync(fd, 'utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
}

/** Removes what is at `path` if it is still what was judged abandoned (same inode, same content). */
const remove = (path: string, ino: number, text: string | undefined): Look => {
  try {
    const st = lstatSync(path)
    if (st.ino !== ino || (st.isFile() && readLock(path) !== text)) return 'retry'
    if (st.isDirectory()) rmdirSync(path)
    else unlinkSync(path) // a symlink itself, never its target
    return 'retry'
  } catch (e) {
    return (e as { code?: string }).code === 'ENOENT' ? 'retry' : 'unavailable'
  }
}

/** Looks at a lock held by someone: takes abandoned ones away, else says to wait. */
const inspect = (path: string, staleMs: number, now: number): Look => {
  let st
  try {
    st = lstatSync(path)
  } catch {
    return 'retry'
  }
  if (!st.isFile()) return remove(path, st.ino, undefined) // a symlink, FIFO or directory planted at the lock path
  const text = readLock(path)
  const owner = text === undefined ? undefined : parseOwner(text)
  const age = now - st.mtimeMs
  const abandoned =
    age < -60_000 ||
    age > staleMs || // a future mtime, or too old
    (owner === undefined && age > WRITING_MS) || // unreadable or garbage, and not being written
    (owner !== undefined && owner.host === hostname() && !alive(owner.pid))
  return abandoned ? remove(path, st.ino, text) : 'wait'
}

const release = (path: string, owner: Owner): void => {
  const text = readLock(path)
  if (text !== undefined && parseOwner(text)?.id === owner.id) {
    try {
      unlinkSync(path)
    } catch {
      // already gone
    }
  }
}

/** A ref'd, abortable wait: the caller is blocked on it, so it keeps the process alive. */
const pause = (ms: number, signal: AbortSignal | undefined, source: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(
        new CredentialError(`${source}: aborted while waiting for the cache lock`, {
          code: 'Aborted',
          source,
          cause: signal?.reason,
        }),
      )
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
  })

/**
 * Runs `fn` holding the lock file `path` (exclusive create, mode 0600, holding the owner's
 * PID, host name and a random id), so that processes started together fetch once and ask
 * for one MFA code. While `fn` runs, the owner touches the lock's mtime every `staleMs / 4`,
 * so a lock is old only when its owner stopped. A lock whose owner is dead (same host, PID
 * gone) is taken over at once; a symlink, FIFO or directory at the path, a garbage or
 * unreadable lock, a future mtime or a lock untouched for `staleMs` are removed (never followed). Where no lock can be made
 * at all, `fn` runs unlocked: the cache is an optimization. Released only while still ours.
 * @throws CredentialError `Timeout` when a live owner holds it longer than `timeoutMs`;
 * `Aborted` when `signal` aborts; whatever `fn` throws.
 * @internal
 */
export const withFileLock = async <T>(
  path: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> => {
  const source = options.source ?? 'withFileCache'
  const timeoutMs = options.timeoutMs ?? 180_000
  const pollMs = options.pollMs ?? 50
  const owner: Owner = { pid: process.pid, host: hostname(), id: randomUUID() }
  const staleMs = options.staleMs ?? 120_000
  const started = Date.now()
  let fd: number
  for (;;) {
    const attempt = create(path, owner)
    if (attempt === 'unavailable') return fn()
    if (attempt !== 'busy') {
      fd = attempt
      break
    }
    const look = inspect(path, staleMs, Date.now())
    if (look === 'unavailable') return fn()
    if (look === 'retry') continue
    if (Date.now() - started >= timeoutMs)
      throw new CredentialError(
        `${source}: another process has held the cache lock ${path} for over ${Math.round(timeoutMs / 1000)} s; if no such process runs, remove that file`,
        { code: 'Timeout', source },
      )
    await pause(pollMs * (0.5 + Math.random()), options.signal, source)
  }
  const stop = heartbeat(fd, Math.max(1, Math.floor(staleMs / 4)))
  try {
    return await fn()
  } finally {
    stop()
    release(path, owner)
  }
}
