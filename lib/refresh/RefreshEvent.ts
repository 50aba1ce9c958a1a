import type { CredentialError } from '../errors.js'

/**
 * Why a refresh started: nothing cached (`cold`), a caller asked (`forced`), a call in
 * the advisory window (`advisory`) or mandatory window (`mandatory`), after expiry
 * (`expired`), or the proactive timer (`background`).
 *
 * @category refresh
 * @since 0.1.0
 */
export type RefreshReason = 'cold' | 'forced' | 'advisory' | 'mandatory' | 'expired' | 'background'

/**
 * What `withRefresh` tells its `onEvent` observer. Times are the provider's clock in
 * epoch milliseconds. No event holds a secret; `accessKeyIdSuffix` is the last four
 * characters of the key id, for logs.
 *
 * @category refresh
 * @since 0.1.0
 */
export type RefreshEvent =
  | { readonly type: 'refresh-started'; readonly reason: RefreshReason; readonly at: number }
  | {
      readonly type: 'refresh-succeeded'
      readonly reason: RefreshReason
      readonly at: number
      readonly durationMs: number
      readonly expiration: Date | undefined
      /** When the next refresh is due (the jittered start of the advisory window). */
      readonly refreshAt: number
      readonly accessKeyIdSuffix: string
    }
  | {
      readonly type: 'refresh-failed'
      readonly reason: RefreshReason
      readonly at: number
      readonly durationMs: number
      readonly error: CredentialError
      /** Consecutive failures so far. */
      readonly failures: number
    }
  | { readonly type: 'stale-served'; readonly at: number; readonly expiration: Date | undefined }
  | {
      readonly type: 'backoff'
      readonly at: number
      readonly delayMs: number
      readonly retryAt: number
      readonly failures: number
    }
