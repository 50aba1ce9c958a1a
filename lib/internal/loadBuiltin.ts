import { createRequire } from 'node:module'

/**
 * Loads a Node.js built-in module synchronously, at first use instead of at import time, so
 * the root entry does not pay for `node:tls`, `node:https`, `node:net` or `node:child_process`
 * unless a function that needs them runs. `process.getBuiltinModule` (Node >= 20.16) needs no
 * `require`; older Node 20 releases get a `require` from `createRequire` (any absolute path
 * resolves built-ins), which works from both the CommonJS and the ES module build.
 *
 * @internal
 */
export const loadBuiltin = <T>(id: `node:${string}`): T => {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule
  return (typeof get === 'function' ? get(id) : createRequire(process.execPath)(id)) as T
}
