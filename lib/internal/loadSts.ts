import { loadPeer } from './loadPeer.js'

/**
 * The `@aws-sdk/client-sts` module, loaded on first use only.
 * @internal
 */
export type StsModule = typeof import('@aws-sdk/client-sts')

/**
 * Loads `@aws-sdk/client-sts` for `purpose` of `source` (a literal `import()`, so bundlers
 * include it); `PeerMissing` when it is not installed.
 * @internal
 */
export const loadSts = (source: string, purpose: string): Promise<StsModule> =>
  loadPeer<StsModule>('@aws-sdk/client-sts', { source, purpose, load: () => import('@aws-sdk/client-sts') })
