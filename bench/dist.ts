// The library as it ships: the built CommonJS entries under dist/ (npm run bench builds
// first). Types come from the sources; the code that runs is the compiled output.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import type * as Root from '../lib/index.js'
import type * as Testing from '../lib/testing/index.js'

/** The repository root (npm runs scripts there). */
export const root = process.cwd()
export const distPath = (p: string): string => resolve(root, 'dist', p)

const load = <T>(p: string): T => {
  const file = distPath(p)
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first (npm run bench does)`)
  return createRequire(resolve(root, 'package.json'))(file) as T
}

export const lib: typeof Root = load('cjs/index.js')
/** The `testing` entry, loaded on first use (it pulls in the emulators). */
export const testing = (): typeof Testing => load('cjs/testing/index.js')
