#!/usr/bin/env node
// The `aws-refresh-session` executable: a thin wrapper that gives runCli the real process.
// A fresh `credential-process` cache entry is printed before anything else is set up or
// loaded: no signal handler, no AbortController, no node:os (each would cost the hit time).
import { writeSync } from 'node:fs'
import { cachedOutput } from './cachedOutput.js'

/** 128 + the signal number, as shells report a process ended by it. */
const EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const
/** After a signal, the run gets this long to give the terminal back and release its lock. */
const GRACE_MS = 2_000

/**
 * The home directory where `os.homedir()` looks first (libuv reads `HOME`, `USERPROFILE` on
 * Windows), without loading node:os; undefined sends the run down the full path.
 */
const homeFromEnv = (): string | undefined =>
  process.env[process.platform === 'win32' ? 'USERPROFILE' : 'HOME'] || undefined

const run = async (argv: readonly string[], signal: AbortSignal): Promise<number> => {
  const [{ runCli }, { packageVersion }, { homedir }] = await Promise.all([
    import('./runCli.js'),
    import('./packageVersion.js'),
    import('node:os'),
  ])
  return runCli({
    argv,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    homeDir: homedir(),
    version: packageVersion(typeof __dirname === 'string' ? __dirname : process.cwd()),
    signal,
  })
}

/** Signals end the run gracefully: abort listeners run at once (a pending prompt restores the terminal mode). */
const onSignals = (controller: AbortController): (() => number | undefined) => {
  let signalled: number | undefined
  const onSignal = (signal: keyof typeof EXIT_CODES): void => {
    if (signalled !== undefined) process.exit(signalled)
    signalled = EXIT_CODES[signal]
    process.exitCode = signalled
    controller.abort()
    setTimeout(() => process.exit(signalled), GRACE_MS).unref()
  }
  for (const signal of Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]) process.on(signal, onSignal)
  return () => signalled
}

const slowPath = (argv: readonly string[]): void => {
  const controller = new AbortController()
  const signalled = onSignals(controller)
  let settled = false
  // Never a silent 0: a run that ends before it settled (nothing left keeping Node alive) is a failure.
  process.exitCode = 1
  process.once('exit', () => {
    if (!settled && signalled() === undefined)
      process.stderr.write(
        'aws-refresh-session: ended before it had an answer (nothing kept it waiting); please report this\n',
      )
  })
  run(argv, controller.signal).then(
    (code) => {
      settled = true
      process.exitCode = signalled() ?? code
    },
    (e: unknown) => {
      settled = true
      process.stderr.write(`aws-refresh-session: unexpected error: ${e instanceof Error ? e.name : typeof e}\n`)
      process.exitCode = signalled() ?? 1
    },
  )
}

/** A synchronous write to fd 1: creating `process.stdout` (a pipe under the AWS CLI) costs more than the whole hit. */
const print = (text: string): void => {
  try {
    writeSync(1, text)
  } catch {
    process.stdout.write(text)
  }
}

const argv = process.argv.slice(2)
const homeDir = homeFromEnv()
const hit = homeDir === undefined ? undefined : cachedOutput(argv, process.env, process.cwd(), homeDir)
if (hit !== undefined) print(hit)
else slowPath(argv)
