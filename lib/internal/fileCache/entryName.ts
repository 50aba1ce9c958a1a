import { createHash } from 'node:crypto'

/** JSON with object keys sorted at every depth and undefined members dropped: equal keys in any order give one text. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * The file name of a cache entry: the hex SHA-256 of the canonical JSON of the key, so the
 * name reveals nothing of the key, equal keys share a file and different ones never do.
 * @internal
 */
export const entryName = (key: unknown): string => `${createHash('sha256').update(canonical(key)).digest('hex')}.json`

/**
 * What an entry's name is made of: the caller's key, plus what the cached source tells of
 * itself (its name and MFA serial), so two kinds of source never share an entry even
 * under one key.
 * @internal
 */
export const entryMaterial = (key: unknown, sourceName: string, mfaSerialNumber: string | undefined): unknown =>
  ({ format: 1, key, source: sourceName, mfaSerialNumber })
