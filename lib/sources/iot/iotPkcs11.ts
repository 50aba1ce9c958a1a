import type * as Net from 'node:net'
import { CredentialError } from '../../errors.js'
import { loadBuiltin } from '../../internal/loadBuiltin.js'
import { loadPeer } from '../../internal/loadPeer.js'
import type { IotTarget } from './iotOptions.js'
import type { Pkcs11Settings } from '../x509/keyKind.js'
import { bodyTooLarge, hostHeader, MAX_BODY_BYTES, type IotRawResponse, type IotTransport } from './iotTransport.js'

const SOURCE = 'fromIotCertificate'
type Crt = typeof import('aws-crt')

const PKCS11_HINTS: Readonly<Record<string, string>> = {
  AWS_ERROR_PKCS11_CKR_PIN_INCORRECT: 'the token refused the PIN; check pkcs11.pin',
  AWS_ERROR_PKCS11_CKR_PIN_LOCKED: 'the token has locked the PIN after too many wrong tries',
  AWS_ERROR_PKCS11_TOKEN_NOT_FOUND: 'no token matches pkcs11.tokenLabel / pkcs11.slotId',
  AWS_ERROR_PKCS11_KEY_NOT_FOUND: 'no private key with pkcs11.keyLabel on the token',
}

/** Maps an aws-crt error (a plain Error whose message names an AWS_ERROR_/AWS_IO_ code) by that code only. */
export const crtError = (e: unknown, t: IotTarget | undefined): CredentialError => {
  if (e instanceof CredentialError) return e
  const name =
    /\b(AWS_(?:ERROR|IO)_[A-Z0-9_]+)\b/.exec(String((e as { message?: unknown } | null)?.message ?? e))?.[1] ??
    'unknown aws-crt error'
  const where = t ? `${t.host}:${t.port}` : 'the endpoint'
  if (name.includes('PKCS11') || name === 'AWS_ERROR_FILE_INVALID_PATH')
    return new CredentialError(
      `${SOURCE}: PKCS#11 key not usable: ${name}; ${PKCS11_HINTS[name] ?? 'check pkcs11.library, the token and the key'}`,
      {
        code: 'InvalidConfiguration',
        source: SOURCE,
        cause: e,
      },
    )
  if (/TLS|SSL|CERT/.test(name))
    return new CredentialError(
      `${SOURCE}: TLS with ${where} failed: ${name}; check ca, the endpoint name and the certificate`,
      {
        code: 'TlsError',
        source: SOURCE,
        cause: e,
      },
    )
  return new CredentialError(`${SOURCE}: cannot reach ${where}: ${name}`, {
    code: 'NetworkError',
    source: SOURCE,
    cause: e,
    retryable: true,
  })
}

const loadCrt = (): Promise<Crt> => {
  // aws-crt warns on every Node 20 start unless told not to; respect a value the user set.
  process.env['AWS_CRT_NODEJS_SUPPRESS_NODE_DEPRECATION_WARNING'] ??= '1'
  // An optional peer with a native binary: loaded by a computed name, never bundled.
  return loadPeer<Crt>('aws-crt', { source: SOURCE, purpose: 'pkcs11' })
}

type Context = {
  readonly crt: Crt
  readonly lib: InstanceType<Crt['io']['Pkcs11Lib']>
  readonly tls: InstanceType<Crt['io']['ClientTlsContext']>
}

const buildContext = async (p: Pkcs11Settings, certificate: string, ca: string | undefined): Promise<Context> => {
  const crt = await loadCrt()
  const lib = new crt.io.Pkcs11Lib(p.library)
  try {
    const options = crt.io.TlsContextOptions.create_client_with_mtls_pkcs11({
      pkcs11_lib: lib,
      user_pin: p.pin,
      cert_file_contents: certificate,
      // aws-crt's options take each key present or absent, never undefined.
      ...(p.slotId !== undefined && { slot_id: p.slotId }),
      ...(p.tokenLabel !== undefined && { token_label: p.tokenLabel }),
      ...(p.keyLabel !== undefined && { private_key_object_label: p.keyLabel }),
    })
    if (ca !== undefined) options.override_default_trust_store(ca)
    return { crt, lib, tls: new crt.io.ClientTlsContext(options) }
  } catch (e) {
    lib.close()
    throw crtError(e, undefined)
  }
}

const exchange = (
  c: Context,
  t: IotTarget,
  path: string,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
  timeoutMs: number,
) =>
  new Promise<IotRawResponse>((resolve, reject) => {
    const { io, http } = c.crt
    const { isIP } = loadBuiltin<typeof Net>('node:net')
    const domain = isIP(t.connectHost) === 6 ? io.SocketDomain.IPV6 : io.SocketDomain.IPV4
    const socket = new io.SocketOptions(io.SocketType.STREAM, domain, Math.ceil(timeoutMs))
    const tls = new io.TlsConnectionOptions(c.tls, isIP(t.host) === 0 ? t.host : undefined)
    const conn = new http.HttpClientConnection(undefined, t.connectHost, t.connectPort, socket, tls)
    let settled = false
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      conn.close()
      fn()
    }
    const fail = (e: unknown): void => finish(() => reject(signal.aborted ? signal.reason : crtError(e, t)))
    const onAbort = (): void => fail(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    // Without an 'error' listener aws-crt aborts the process on a failed connection.
    conn.on('error', fail)
    conn.on('close', () => fail(new Error('AWS_IO_SOCKET_CLOSED')))
    conn.on('connect', () => {
      const list: [string, string][] = [['host', hostHeader(t)], ...Object.entries(headers)]
      const stream = conn.request(new http.HttpRequest('GET', path, new http.HttpHeaders(list)))
      const chunks: Buffer[] = []
      let status = 0
      let size = 0
      stream.on('response', (code) => {
        status = code
      })
      stream.on('data', (data) => {
        size += data.byteLength
        if (size > MAX_BODY_BYTES) fail(bodyTooLarge())
        else chunks.push(Buffer.from(data))
      })
      stream.on('error', fail)
      stream.on('end', () => finish(() => resolve({ status, body: Buffer.concat(chunks).toString('utf8') })))
      stream.activate()
    })
  })

/**
 * The aws-crt transport for keys in an HSM: the PKCS#11 library and TLS context are set up
 * once (on the first request) and reused; every request opens and closes its own connection.
 */
export const pkcs11Transport = (
  p: Pkcs11Settings,
  certificate: string,
  ca: string | undefined,
  timeoutMs: number,
): IotTransport => {
  let context: Promise<Context> | undefined
  return {
    request: async (t, path, headers, signal) => {
      const pending = (context ??= buildContext(p, certificate, ca))
      pending.catch(() => {
        if (context === pending) context = undefined
      })
      return exchange(await pending, t, path, headers, signal, timeoutMs)
    },
    close: () => {
      const pending = context
      context = undefined
      pending?.then(
        (c) => c.lib.close(),
        () => undefined,
      )
    },
  }
}
