import { logTo, type Logger } from './sdkLogger.js'

/**
 * The region used when nothing names one, as the SDK's own STS credential providers do.
 * @internal
 */
export const FALLBACK_REGION = 'us-east-1'

/**
 * A region, or a provider of one (as SDK client configs hold it).
 * @internal
 */
export type RegionInput = string | (() => Promise<string | undefined>) | undefined

/**
 * A warning of the `us-east-1` fallback through `logger`, written at most once per returned
 * function: each source makes one and keeps it, so it warns once however often it resolves.
 * @internal
 */
export const fallbackWarning = (source: string): ((logger: Logger | undefined) => void) => {
  let warned = false
  return (logger) => {
    if (warned || !logger) return
    warned = true
    logTo(logger, 'warn', `${source}: no region; using ${FALLBACK_REGION} (set options.region or AWS_REGION)`)
  }
}

/**
 * The first region of `candidates` (in order), then the SDK's own region chain as
 * `fromTemporaryCredentials` reads it: `AWS_REGION`, then the `region` of `profile` (default
 * `AWS_PROFILE`, then `default`) in the shared config file (`AWS_CONFIG_FILE`, default
 * `~/.aws/config`), read at each call (callers resolve once per client); then `us-east-1`,
 * calling `onFallback` then (see {@link fallbackWarning}).
 * @internal
 */
export const regionChain = async (
  candidates: readonly RegionInput[],
  profile: string | undefined,
  onFallback?: () => void,
): Promise<string> => {
  for (const c of candidates) {
    const region = typeof c === 'function' ? await c() : c
    if (region) return region
  }
  const { loadConfig, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS } =
    await import('@smithy/core/config')
  try {
    const region = await loadConfig(
      { ...NODE_REGION_CONFIG_OPTIONS, default: () => undefined as unknown as string },
      { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...(profile && { profile }) },
    )()
    if (region) return region
  } catch {
    // An unreadable config file names no region.
  }
  onFallback?.()
  return FALLBACK_REGION
}
