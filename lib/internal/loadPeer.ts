import { CredentialError } from '../errors.js'

/**
 * What needs the package, for the error message: the failing function and the feature.
 * @internal
 */
export type LoadPeerOptions = {
  /** The public function that needs the package, e.g. `fromIotCertificate`. */
  readonly source: string
  /** What the package is needed for, e.g. `endpoint discovery`. */
  readonly purpose: string
  /**
   * How to load it. Give `() => import('literal')` for a package a bundler should include
   * (a required peer); the default loads by a computed name, which bundlers leave alone, so
   * an optional peer that is not installed never breaks a bundle.
   * @default a dynamic import of `name` that bundlers do not resolve
   */
  readonly load?: () => Promise<unknown>
  /** More packages the user must install with this one (named in the error). @default none */
  readonly with?: readonly string[]
}

/**
 * Why the load failed: not installed (Node's `MODULE_NOT_FOUND` for `require`,
 * `ERR_MODULE_NOT_FOUND` for `import`), or the first line of the loader's message (up to 120
 * characters).
 */
const reason = (e: unknown): string => {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown }
  return /^(ERR_)?MODULE_NOT_FOUND$/.test(String(code))
    ? 'not installed'
    : `could not be loaded: ${/.{0,120}/.exec(String(message ?? e))![0]}`
}

/**
 * Loads a peer package on first use. Every lazy load of a package goes through here, so a
 * missing one is always a `CredentialError` with code `PeerMissing` naming the package(s) to
 * install, never a plain `Error`. Nothing is cached here: Node's module cache makes a second
 * load free, and a failed load is tried again at the next call.
 *
 * @throws CredentialError `PeerMissing` when the package cannot be loaded (`cause`: the loader's error).
 * @internal
 */
export const loadPeer = async <T>(name: string, options: LoadPeerOptions): Promise<T> => {
  try {
    // The default is a computed specifier: tsc's CommonJS output turns it into `require(name)`
    // and the ES module build keeps `import(name)`; neither is a string literal, so esbuild,
    // webpack and rollup leave it to run time instead of failing with "Could not resolve".
    return (await (options.load ? options.load() : import(name))) as T
  } catch (e) {
    const names = [name, ...(options.with ?? [])]
    throw new CredentialError(
      `${options.source}: ${options.purpose} needs ${names.join(' and ')} (${reason(e)}); run npm install ${names.join(' ')}`,
      { code: 'PeerMissing', source: options.source, cause: e },
    )
  }
}
