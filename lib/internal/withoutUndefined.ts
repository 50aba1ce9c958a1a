/**
 * A shallow copy of `o` without the keys that hold `undefined`, so that a key given as
 * `undefined` counts as missing (as the SDK's own config resolution treats it).
 *
 * @internal
 */
export const withoutUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
