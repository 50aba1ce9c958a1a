import { mkdirSync } from 'node:fs'
import { CredentialError } from '../../errors.js'
import { unsafeDirReason } from './entry.js'

/**
 * Creates the cache directory (mode 0700) when missing, and refuses one that another user
 * could write to: planted or replaced entries there would be served as credentials.
 * @throws CredentialError `InvalidConfiguration` naming the directory and the fix.
 * @internal
 */
export const ensureCacheDir = (dir: string, source: string): void => {
  if (unsafeDirReason(dir) === 'missing') {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
    } catch (e) {
      throw new CredentialError(
        `${source}: cannot create the cache directory ${dir} (${(e as { code?: string }).code ?? 'error'})`,
        { code: 'InvalidConfiguration', source, cause: e },
      )
    }
  }
  const reason = unsafeDirReason(dir)
  if (reason !== undefined)
    throw new CredentialError(
      `${source}: the cache directory ${dir} ${reason}; others could plant credentials there. Use a directory only you can write (chmod 700 ${dir}) or another cache directory`,
      {
        code: 'InvalidConfiguration',
        source,
      },
    )
}
