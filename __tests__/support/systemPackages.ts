import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { SOFTHSM2_LIBRARY } from '../../lib/testing/createSoftHsmToken.js'

/** The Debian packages some tests need, and how to tell that one is installed. */
const PACKAGES = {
  softhsm2: (env: NodeJS.ProcessEnv) => existsSync(SOFTHSM2_LIBRARY) && runs('softhsm2-util', ['--version'], env),
  openssl: (env: NodeJS.ProcessEnv) => runs('openssl', ['version'], env),
} as const

export type SystemPackage = keyof typeof PACKAGES

const runs = (command: string, args: readonly string[], env: NodeJS.ProcessEnv): boolean => {
  try {
    execFileSync(command, args, { stdio: 'ignore', env })
    return true
  } catch {
    return false
  }
}

/** `REQUIRE_SYSTEM_PACKAGES=1` (set by .ci/run) turns a skip for a missing package into a failure. */
export const systemPackagesRequired = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env['REQUIRE_SYSTEM_PACKAGES'] === '1'

/**
 * Whether a Debian package is installed. When it is not, prints one line naming the package
 * and returns false (the caller skips its tests), or throws when `REQUIRE_SYSTEM_PACKAGES=1`,
 * so CI never skips them silently.
 */
export const hasSystemPackage = (name: SystemPackage, what: string, env: NodeJS.ProcessEnv = process.env): boolean => {
  if (PACKAGES[name](env)) return true
  const line = `${what}: needs the Debian package ${name} (apt-get install ${name})`
  if (systemPackagesRequired(env)) throw new Error(`${line}; REQUIRE_SYSTEM_PACKAGES=1 forbids skipping`)
  process.stderr.write(`skipped ${line}\n`)
  return false
}

/** `describe` when the package is installed, `describe.skip` (after one printed line) when not. */
export const describeWithPackage = (name: SystemPackage, title: string): jest.Describe =>
  hasSystemPackage(name, title) ? describe : describe.skip

/** `it` when the package is installed, `it.skip` (after one printed line) when not. */
export const itWithPackage = (name: SystemPackage, title: string): jest.It =>
  hasSystemPackage(name, title) ? it : it.skip
