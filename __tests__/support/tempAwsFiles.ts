import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const FILE_VARIABLES = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'] as const

/**
 * For each test of the calling block: a fresh temp folder holds the shared config and
 * credentials files (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE` point into it, so no
 * real `~/.aws` file is read) and the variables `unset` are removed; after the test the folder
 * is deleted and the environment restored. `file(name)` is a path inside the current folder.
 */
export const useTempAwsFiles = (
  prefix: string,
  unset: readonly string[],
): { readonly file: (name: string) => string } => {
  const names = [...new Set([...unset, ...FILE_VARIABLES])]
  const saved = Object.fromEntries(names.map((k) => [k, process.env[k]]))
  let dir = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix))
    for (const k of names) delete process.env[k]
    process.env['AWS_CONFIG_FILE'] = join(dir, 'config')
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials')
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
    for (const k of names)
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
  })
  return { file: (name) => join(dir, name) }
}
