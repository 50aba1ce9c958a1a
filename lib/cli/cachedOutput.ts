// The cache-hit path of `credential-process`, run before anything else is loaded: node
// built-ins, the entry reader and the refresh windows only (no SDK, no CredentialError, no
// node:crypto: it is not in Node's start-up snapshot and costs more to load than the hit).
import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import type { AwsCredentialIdentity } from '@smithy/types'
import {
  defaultCacheDir,
  entryMaterial,
  entryName,
  isFresh,
  readEntry,
  unsafeDirReason,
} from '../internal/fileCache/entry.js'
import { sha256Hex } from '../internal/sha256Hex.js'

/** Flags whose value is a path: the key holds it resolved, so the working directory does not matter. */
export const PATH_VALUED = new Set([
  'config',
  'certificate',
  'private-key',
  'ca',
  'web-identity-token-file',
  'cache-dir',
])
/**
 * The environment that the SDK's default chain, `--base-profile` and the STS client read
 * to choose the base identity, the endpoint and the region. Secrets are not in it: an
 * access key id names its key.
 */
export const IDENTITY_ENV = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_SDK_LOAD_CONFIG',
  'AWS_SSO_SESSION',
] as const

/** The value of `--name` in argv (`--name V` or `--name=V`; the last one wins, as the parser does). */
export const flagValue = (argv: readonly string[], name: string): string | undefined => {
  let value: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === `--${name}`) value = argv[++i]
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3)
  }
  return value
}

/** argv with every path-valued flag resolved against `cwd`. */
const normalize = (argv: readonly string[], cwd: string): string[] =>
  argv.map((a, i) => {
    const prev = argv[i - 1]
    if (prev !== undefined && prev.startsWith('--') && PATH_VALUED.has(prev.slice(2)) && !a.startsWith('-'))
      return resolve(cwd, a)
    const eq = a.indexOf('=')
    return a.startsWith('--') && eq > 0 && PATH_VALUED.has(a.slice(2, eq))
      ? `${a.slice(0, eq + 1)}${resolve(cwd, a.slice(eq + 1))}`
      : a
  })

/** The SHA-256 of a file, null when it is missing or unreadable (a missing file is asked first: a thrown ENOENT costs more). */
const digestOf = (path: string | undefined): string | null => {
  if (path === undefined || !existsSync(path)) return null
  try {
    return sha256Hex(readFileSync(path))
  } catch {
    return null
  }
}

/** The SHA-256 of the file a path-valued flag names, resolved against `cwd`. */
const flagDigest = (argv: readonly string[], name: string, cwd: string): string | null => {
  const v = flagValue(argv, name)
  return digestOf(v === undefined ? undefined : resolve(cwd, v))
}

const home = (p: string, homeDir: string, cwd: string): string =>
  p.startsWith('~/') ? join(homeDir, p.slice(2)) : isAbsolute(p) ? p : resolve(cwd, p)

/**
 * The cache key of a `credential-process` run: everything that decides which identity
 * and which endpoint the source uses. The command line (paths resolved), the SHA-256 of
 * the `--config` file and the `--certificate`, the {@link IDENTITY_ENV} variables, and the
 * SHA-256 of the shared credentials and config files (so editing a profile, or pointing
 * at another file, never reuses the session of the old base identity).
 */
export const cliCacheKey = (
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  homeDir: string,
): Record<string, unknown> => {
  const files = {
    credentials: digestOf(
      home(env['AWS_SHARED_CREDENTIALS_FILE'] || join(homeDir, '.aws', 'credentials'), homeDir, cwd),
    ),
    config: digestOf(home(env['AWS_CONFIG_FILE'] || join(homeDir, '.aws', 'config'), homeDir, cwd)),
  }
  // The files whose content decides the identity.
  const named = { config: flagDigest(argv, 'config', cwd), certificate: flagDigest(argv, 'certificate', cwd) }
  const identity: Record<string, string | null> = {}
  for (const k of IDENTITY_ENV) identity[k] = env[k] || null
  return { cli: 1, argv: normalize(argv, cwd), named, env: identity, files }
}

/** The name the CLI's source carries into the cache entry name (so the key alone decides the entry). */
export const CLI_SOURCE_NAME = 'aws-refresh-session'

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/**
 * `date.toISOString()`, built from the UTC fields for the years 0-9999: the first
 * `toISOString` call of a process costs about 0.3 ms on Node 20, a tenth of a cache hit.
 */
const isoString = (d: Date): string => {
  const year = d.getUTCFullYear()
  if (!(year >= 0 && year <= 9999)) return d.toISOString()
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`
}

/** The AWS `credential_process` output format (Version 1). */
export const toProcessJson = (c: AwsCredentialIdentity): string =>
  JSON.stringify({
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: c.expiration && isoString(c.expiration),
    AccountId: c.accountId,
  })

/** The cache file of a `credential-process` run (argv after the subcommand), or undefined with `--no-cache`. */
export const cliCacheFile = (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  homeDir: string,
): { dir: string; key: Record<string, unknown> } | undefined => {
  if (args.some((a) => a === '--no-cache' || a.startsWith('--no-cache='))) return undefined
  const dir = resolve(cwd, flagValue(args, 'cache-dir') ?? defaultCacheDir(env, homeDir))
  return { dir, key: cliCacheKey(args, env, cwd, homeDir) }
}

/**
 * The output of `credential-process` when its cache entry is fresh, else undefined (then
 * the full CLI runs: flags checked, the source built, the entry refreshed under the lock).
 * Reads the same entry, with the same checks, as `withFileCache`.
 */
export const cachedOutput = (
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  homeDir: string,
  now: number = Date.now(),
): string | undefined => {
  if (argv[0] !== 'credential-process') return undefined
  const args = argv.slice(1)
  if (args.some((a) => a === '--help' || a === '-h')) return undefined
  const file = cliCacheFile(args, env, cwd, homeDir)
  if (file === undefined || unsafeDirReason(file.dir) !== undefined) return undefined
  const entry = readEntry(join(file.dir, entryName(entryMaterial(file.key, CLI_SOURCE_NAME, undefined))))
  return entry !== undefined && isFresh(entry, now) ? `${toProcessJson(entry.credentials)}\n` : undefined
}
