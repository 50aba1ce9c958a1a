// The canonical form of an AssumeRole parameter set: equal parameters in any key order give
// the same key, so the pool keeps one provider per role. Keys holding `undefined` count as
// missing; arrays keep their order (`Tags` in another order is another key: at worst a
// second provider, never a wrong one).
import { CredentialError } from '../errors.js'
import { invalidConfiguration } from '../internal/validate.js'

const SOURCE = 'withRolePool'
/** AssumeRole parameters nest three levels (`Tags.member.N.Key`); deeper is a mistake or a cycle. */
const MAX_DEPTH = 8

const invalid = (message: string): CredentialError => invalidConfiguration(SOURCE, message)

const kind = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'a class instance' : typeof v

const isPlainObject = (v: object): v is Readonly<Record<string, unknown>> => {
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

const canonical = (v: unknown, path: string, depth: number): unknown => {
  if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v
  if (depth >= MAX_DEPTH) throw invalid(`params nest deeper than ${MAX_DEPTH} levels at ${path} (a cycle?)`)
  if (Array.isArray(v)) return v.map((x, i) => canonical(x, `${path}[${i}]`, depth + 1))
  if (typeof v !== 'object' || v === null || !isPlainObject(v))
    throw invalid(
      `${path} must be a string, a finite number, a boolean, an array or a plain object (got ${typeof v === 'number' ? String(v) : kind(v)})`,
    )
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = canonical(v[k], `${path}.${k}`, depth + 1)
  return out
}

/**
 * The key of `params` and a private copy of them in canonical form (so a caller mutating
 * its object later cannot change what the pool's provider sends). Never echoes a value.
 *
 * @throws CredentialError `InvalidConfiguration` when `params` is not a plain object of
 * plain data (functions, dates, class instances, `NaN`, cycles).
 */
export const roleKey = (
  params: unknown,
): { readonly key: string; readonly params: Readonly<Record<string, unknown>> } => {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw invalid(`params must be an AssumeRole parameter object such as { RoleArn } (got ${kind(params)})`)
  const copy = canonical(params, 'params', 0) as Readonly<Record<string, unknown>>
  return { key: JSON.stringify(copy), params: copy }
}
