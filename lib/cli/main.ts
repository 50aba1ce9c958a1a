#!/usr/bin/env node
// The `aws-refresh-session` executable: a thin wrapper that gives runCli the real process.
import { homedir } from 'node:os'
import { packageVersion } from './packageVersion.js'
import { runCli } from './runCli.js'

const controller = new AbortController()
const stop = (): void => controller.abort()
process.once('SIGINT', stop)
process.once('SIGTERM', stop)

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  homeDir: homedir(),
  version: packageVersion(typeof __dirname === 'string' ? __dirname : process.cwd()),
  signal: controller.signal,
})
  .then(
    (code) => { process.exitCode = code },
    (e: unknown) => {
      process.stderr.write(`aws-refresh-session: unexpected error: ${e instanceof Error ? e.name : typeof e}\n`)
      process.exitCode = 1
    },
  )
  .finally(() => {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  })
