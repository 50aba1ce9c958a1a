import { CredentialError } from '../../errors.js'
import type { IotTarget } from './iotOptions.js'
import { networkError as mapNetworkError } from '../x509/networkError.js'

const SOURCE = 'fromIotCertificate'

/** IoT's raw answer. */
export type IotRawResponse = { readonly status: number; readonly body: string }

/** One way to send the credentials request: node:https, or aws-crt for PKCS#11 keys. */
export type IotTransport = {
  /** Sends `GET path`; rejects with a CredentialError, or with `signal.reason` once aborted. */
  readonly request: (
    target: IotTarget,
    path: string,
    headers: Readonly<Record<string, string>>,
    signal: AbortSignal,
  ) => Promise<IotRawResponse>
  /** Releases connections and native resources; later requests still work. */
  readonly close: () => void
}

/**
 * A transport created at its first request, so the module that sends (node:https, or
 * aws-crt for PKCS#11) loads with the first call, not with the package. `close()` before
 * that first request is remembered: the transport is then closed as soon as it exists.
 */
export const lazyTransport = (create: () => Promise<IotTransport>): IotTransport => {
  let closed = false
  let pending: Promise<IotTransport> | undefined
  const get = (): Promise<IotTransport> => {
    const current = (pending ??= create().then((t) => {
      if (closed) t.close()
      return t
    }))
    current.catch(() => {
      if (pending === current) pending = undefined
    })
    return current
  }
  return {
    request: async (target, path, headers, signal) => (await get()).request(target, path, headers, signal),
    close: () => {
      closed = true
      void pending?.then(
        (t) => t.close(),
        () => undefined,
      )
    },
  }
}

/** Largest response body read; IoT's answers are about 1 KiB. */
export const MAX_BODY_BYTES = 64 * 1024

/** The `host` header for a target: the endpoint's name, with the port unless 443. */
export const hostHeader = (t: IotTarget): string => {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host
  return t.port === 443 ? host : `${host}:${t.port}`
}

export const bodyTooLarge = (): CredentialError =>
  new CredentialError(
    `${SOURCE}: the response body exceeds ${MAX_BODY_BYTES} bytes; is the endpoint an IoT credentials endpoint?`,
    {
      code: 'InvalidCredentials',
      source: SOURCE,
    },
  )

/** Maps a socket or TLS error to `TlsError` (with the TLS reason) or a retryable `NetworkError`. */
export const networkError = (e: unknown, t: IotTarget): CredentialError =>
  mapNetworkError(e, {
    source: SOURCE,
    where: `${t.host}:${t.port}${t.connectHost !== t.host ? ` (via ${t.connectHost}:${t.connectPort})` : ''}`,
    tlsHint: 'check ca, the endpoint name and the certificate',
  })
