import { CredentialError, isCredentialError } from '../../errors.js'
import { SOURCE } from './options.js'

/**
 * @internal One deadline per call (connect, TLS and answer), also ended by the caller's
 * `signal`. The signal's `reason` is the CredentialError to throw: `Timeout` or `Aborted`.
 */
export const deadline = (timeoutMs: number, outer: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } => {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new CredentialError(
    `${SOURCE}: no answer from IAM Roles Anywhere within timeoutMs (${timeoutMs} ms)`, { code: 'Timeout', source: SOURCE, retryable: true },
  )), timeoutMs)
  const onOuter = (): void => controller.abort(isCredentialError(outer?.reason) ? outer?.reason : new CredentialError(
    `${SOURCE}: the request was aborted by the caller`, { code: 'Aborted', source: SOURCE, cause: outer?.reason },
  ))
  if (outer?.aborted) onOuter()
  else outer?.addEventListener('abort', onOuter, { once: true })
  return { signal: controller.signal, dispose: () => { clearTimeout(timer); outer?.removeEventListener('abort', onOuter) } }
}
