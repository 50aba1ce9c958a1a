// The cache-hit path of `credential-process`, run before anything else is loaded: node
// built-ins, the entry reader and the refresh windows only (no SDK, no CredentialError).
import { join, resolve } from 'node:path'
import type { AwsCredentialIdentity } from '@smithy/types'
import { defaultCacheDir, unsafeDirReason } from '../internal/fileCache/cacheDir.js'
import { isFresh, readEntry } from '../internal/fileCache/entry.js'
import { entryMaterial, entryName } from '../internal/fileCache/entryName.js'
import { CLI_SOURCE_NAME, cliCacheKey, flagValue } from './cliCacheKey.js'

/** The AWS `credential_process` output format (Version 1). */
export const toProcessJson = (c: AwsCredentialIdentity): string =>
  JSON.stringify({
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: c.expiration?.toISOString(),
    AccountId: c.accountId,
  })

/** The cache file of a `credential-process` run (argv after the subcommand), or undefined with `--no-cache`. */
export const cliCacheFile = (args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, homeDir: string): { dir: string; key: Record<string, unknown> } | undefined => {
  if (args.some((a) => a === '--no-cache' || a.startsWith('--no-cache='))) return undefined
  const dir = resolve(cwd, flagValue(args, 'cache-dir') ?? defaultCacheDir(env, homeDir))
  return { dir, key: cliCacheKey(args, env, cwd, homeDir) }
}

/**
 * The output of `credential-process` when its cache entry is fresh, else undefined (then
 * the full CLI runs: flags checked, the source built, the entry refreshed under the lock).
 * Reads the same entry, with the same checks, as `withFileCache`.
 */
export const cachedOutput = (argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string, homeDir: string, now: number = Date.now()): string | undefined => {
  if (argv[0] !== 'credential-process') return undefined
  const args = argv.slice(1)
  if (args.some((a) => a === '--help' || a === '-h')) return undefined
  const file = cliCacheFile(args, env, cwd, homeDir)
  if (file === undefined || unsafeDirReason(file.dir) !== undefined) return undefined
  const entry = readEntry(join(file.dir, entryName(entryMaterial(file.key, CLI_SOURCE_NAME, undefined))))
  return entry !== undefined && isFresh(entry, now) ? `${toProcessJson(entry.credentials)}\n` : undefined
}
