#!/usr/bin/env node
// The `aws-refresh-session` executable: a thin wrapper that gives runCli the real process.
// A fresh `credential-process` cache entry is printed before the rest of the CLI is loaded.
import { writeSync } from 'node:fs'
import { homedir } from 'node:os'
import { cachedOutput } from './cachedOutput.js'

/** 128 + the signal number, as shells report a process ended by it. */
const EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const
/** After a signal, the run gets this long to give the terminal back and release its lock. */
const GRACE_MS = 2_000

const controller = new AbortController()
let signalled: number | undefined
const onSignal = (signal: keyof typeof EXIT_CODES): void => {
  if (signalled !== undefined) process.exit(signalled)
  signalled = EXIT_CODES[signal]
  process.exitCode = signalled
  // Abort listeners run now: a pending prompt restores the terminal mode before anything else.
  controller.abort()
  setTimeout(() => process.exit(signalled), GRACE_MS).unref()
}
for (const signal of Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]) process.on(signal, onSignal)

const argv = process.argv.slice(2)
const hit = cachedOutput(argv, process.env, process.cwd(), homedir())

const run = async (): Promise<number> => {
  const [{ runCli }, { packageVersion }] = await Promise.all([import('./runCli.js'), import('./packageVersion.js')])
  return runCli({
    argv,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    homeDir: homedir(),
    version: packageVersion(typeof __dirname === 'string' ? __dirname : process.cwd()),
    signal: controller.signal,
  })
}

const slowPath = (): void => {
  let settled = false
  // Never a silent 0: a run that ends before it settled (nothing left keeping Node alive) is a failure.
  process.exitCode = 1
  process.once('exit', () => {
    if (!settled && signalled === undefined)
      process.stderr.write(
        'aws-refresh-session: ended before it had an answer (nothing kept it waiting); please report this\n',
      )
  })
  run().then(
    (code) => {
      settled = true
      process.exitCode = signalled ?? code
    },
    (e: unknown) => {
      settled = true
      process.stderr.write(`aws-refresh-session: unexpected error: ${e instanceof Error ? e.name : typeof e}\n`)
      process.exitCode = signalled ?? 1
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

if (hit !== undefined) print(hit)
else slowPath()
