import { readFileSync } from 'node:fs'
import { defined } from '../internal/defined.js'
import { dirname, resolve } from 'node:path'
import { type Flags, type FlagValue, SOURCE_FLAGS, usageError } from './flags.js'

/** Flags naming files: a relative path in a config file is relative to that file. */
export const PATH_FLAGS: ReadonlySet<string> = new Set([
  'web-identity-token-file',
  'certificate',
  'private-key',
  'ca',
  'intermediates',
])

const NUMERIC_FLAGS = new Set(['duration-seconds', 'session-duration'])

const readJson = (path: string): unknown => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as { code?: unknown }).code
    throw usageError(`--config: cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}`)
  }
  try {
    return JSON.parse(text)
  } catch {
    // V8's message quotes the text; the file is the user's, so say only where to look.
    throw usageError(`--config: ${path} is not valid JSON`)
  }
}

const toFlagValue = (file: string, key: string, value: unknown, dir: string): FlagValue => {
  const spec = SOURCE_FLAGS[key]
  const bad = (what: string): never => {
    throw usageError(`--config: "${key}" in ${file} must be ${what}`)
  }
  if (spec === undefined)
    throw usageError(
      `--config: unknown key "${key.slice(0, 40)}" in ${file}; the keys are the source flags without '--' (see --help)`,
    )
  if (spec.type === 'boolean') return typeof value === 'boolean' ? value : bad('true or false')
  if (key === 'mfa-command' && Array.isArray(value))
    return value.length > 0 && value.every((v) => typeof v === 'string')
      ? value
      : bad('a command line or a non-empty array of strings')
  if (NUMERIC_FLAGS.has(key) && typeof value === 'number') return String(value)
  if (typeof value !== 'string') return bad('a string')
  return PATH_FLAGS.has(key) ? resolve(dir, value) : value
}

/**
 * Reads a `--config` JSON file: an object whose keys are source flag names without `--`
 * (`{"assume-role": "arn:...", "mfa-serial": "arn:...", "duration-seconds": 3600}`).
 * Relative file paths in it are resolved against the file's directory.
 * @throws CredentialError `InvalidConfiguration` for an unreadable file, bad JSON, an unknown key or a wrongly typed value.
 */
export const loadConfig = (path: string, cwd: string): Flags => {
  const file = resolve(cwd, path)
  const json = readJson(file)
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw usageError(`--config: ${file} must hold a JSON object`)
  const dir = dirname(file)
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, toFlagValue(file, k, v, dir)]))
}

/** The config file's flags overridden by the command line's. */
export const withConfig = (flags: Flags, cwd: string): Flags => {
  const path = flags['config']
  if (typeof path !== 'string') return flags
  const given = defined(flags)
  return { ...loadConfig(path, cwd), ...given }
}
