import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where the shared files are; undefined members default as the SDK's own loader does. */
export type ProfileFiles = { readonly filepath?: string | undefined; readonly configFilepath?: string | undefined }

/** One profile's keys, as the SDK's loader gives them. */
export type Profile = Readonly<Record<string, string | undefined>>
export type Profiles = Readonly<Record<string, Profile>>

/**
 * Every profile of the shared credentials and config files, read and parsed by the SDK's
 * own loader (`parseKnownFiles` of `@smithy/core/config`, what `@smithy/shared-ini-file-loader`
 * re-exports): config-file `[profile NAME]` sections and credentials-file `[NAME]` sections
 * merged, credentials-file keys winning. Files are re-read (no loader cache); missing files
 * count as empty.
 */
export const loadProfiles = async (files: ProfileFiles): Promise<Profiles> => {
  const { parseKnownFiles } = await import('@smithy/core/config')
  return parseKnownFiles({ ...files, ignoreCache: true } as Parameters<typeof parseKnownFiles>[0])
}

const expand = (p: string): string => (p.startsWith('~/') ? join(homedir(), p.slice(2)) : p)

const pathOf = (given: string | undefined, env: string, fallback: string): string =>
  expand(given ?? (process.env[env] || join(homedir(), '.aws', fallback)))

const readOrEmpty = (path: string): string => {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** The value of top-level `key` in section `header` of an INI text, or undefined. */
const valueIn = (text: string, header: string, key: string): string | undefined => {
  let inside = false
  let found: string | undefined
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]*)\]/.exec(line)
    if (section) inside = section[1]!.trim().replace(/\s+/g, ' ') === header
    else if (inside && !/^\s/.test(line)) {
      const m = /^([^=#;]+?)\s*=\s*(.*?)\s*$/.exec(line)
      if (m && m[1] === key) found = m[2]
    }
  }
  return found
}

/**
 * The `mfa_serial` of profile `name`, read synchronously: `withMfa` needs a source's serial
 * when it is applied, before any call. Only this one key is read here; the first call
 * parses the files with the SDK's loader and refuses a serial that differs.
 */
export const readMfaSerialSync = (name: string, files: ProfileFiles): string | undefined => {
  const fromCredentials = valueIn(
    readOrEmpty(pathOf(files.filepath, 'AWS_SHARED_CREDENTIALS_FILE', 'credentials')),
    name,
    'mfa_serial',
  )
  if (fromCredentials !== undefined) return fromCredentials || undefined
  const config = readOrEmpty(pathOf(files.configFilepath, 'AWS_CONFIG_FILE', 'config'))
  return (
    (valueIn(config, `profile ${name}`, 'mfa_serial') ??
      (name === 'default' ? valueIn(config, 'default', 'mfa_serial') : undefined)) ||
    undefined
  )
}
