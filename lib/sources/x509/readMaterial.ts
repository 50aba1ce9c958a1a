import { readFileSync } from 'node:fs'
import { redact } from '../../internal/redact.js'
import { invalidConfiguration } from '../../internal/validate.js'

/**
 * Certificate or key material: PEM text (a string holding `-----BEGIN`), a file path (any
 * other string) or the bytes.
 *
 * @category sources
 * @since 0.1.0
 */
export type MaterialInput = string | Buffer | Uint8Array

/** @internal PEM text (a string holding `-----BEGIN`), a file path (any other string) or bytes, read now; errors are `source`'s. */
export const readPem = (source: string, field: string, value: MaterialInput): Buffer => {
  if (typeof value !== 'string') return Buffer.from(value)
  if (value.includes('-----BEGIN')) return Buffer.from(value)
  return readFile(source, field, value)
}

/** @internal A file path or bytes (PKCS#12 has no PEM form), read now; errors are `source`'s. */
export const readBinary = (source: string, field: string, value: MaterialInput): Buffer =>
  typeof value === 'string' ? readFile(source, field, value) : Buffer.from(value)

const readFile = (source: string, field: string, path: string): Buffer => {
  if (path.length === 0)
    throw invalidConfiguration(source, `${field} is an empty string; give PEM text, a file path or a Buffer`)
  try {
    return readFileSync(path)
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unknown error'
    // A key given by mistake as bare base64 (no PEM header) lands here as a "path": show
    // the path only when it cannot be key material.
    const shown = field === 'certificate' || field === 'ca' ? `"${redact(path)}"` : 'at the given path'
    throw invalidConfiguration(
      source,
      `cannot read ${field} file ${shown} (${code}); give PEM text (with its -----BEGIN line), a readable file path or a Buffer`,
      e,
    )
  }
}

/** @internal Whether `v` can be material: a string or bytes. */
export const isMaterial = (v: unknown): v is MaterialInput => typeof v === 'string' || v instanceof Uint8Array
