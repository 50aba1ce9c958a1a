import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The version of this package: from the nearest `package.json` named
 * `aws-refresh-session` at or above `startDir` (the build's own `dist/cjs/package.json`
 * has no name and is skipped). `'unknown'` when none is found.
 */
export const packageVersion = (startDir: string): string => {
  for (let dir = startDir; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === 'aws-refresh-session' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // no package.json here, or not JSON: keep going up
    }
    if (dirname(dir) === dir) return 'unknown'
  }
}
