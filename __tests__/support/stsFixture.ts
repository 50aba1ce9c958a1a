import { request } from 'node:http'
import { createHash, createHmac } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@smithy/types'
import { totpCode } from '../../lib/internal/otp'
import type { StsEmulator } from '../../lib/testing/startStsEmulator'

/** STS client config for the emulator: no retries unless asked, so fault tests stay fast. */
export const clientConfigFor = (sts: StsEmulator, extra: STSClientConfig = {}): STSClientConfig => ({
  endpoint: sts.endpoint,
  region: sts.region,
  maxAttempts: 1,
  ...extra,
})

/** A real STSClient signed with `credentials` (default: the emulator's base user). */
export const stsClient = (
  sts: StsEmulator,
  credentials: AwsCredentialIdentity = sts.baseCredentials,
  extra: STSClientConfig = {},
): STSClient => new STSClient({ ...clientConfigFor(sts, extra), credentials })

/** The TOTP code of the emulator's MFA device at `epochMs`. */
export const codeAt = (sts: StsEmulator, epochMs: number): string =>
  totpCode(sts.mfa.secret, Math.floor(epochMs / 1000))

function Sha256(secret?: string | Uint8Array) {
  const h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret)
  return {
    update: (d: string | Uint8Array) => void h.update(d),
    digest: async () => new Uint8Array(h.digest()),
    reset: () => undefined,
  }
}

/** Signs `body` as the SDK would, then lets `tamper` change the request before sending it raw. */
export const rawSignedRequest = async (
  sts: StsEmulator,
  body: string,
  options: { signingDate?: Date; tamperBody?: string; credentials?: AwsCredentialIdentity } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> => {
  const url = new URL(sts.endpoint)
  const signer = new SignatureV4({
    service: 'sts',
    region: sts.region,
    credentials: options.credentials ?? sts.baseCredentials,
    sha256: Sha256 as never,
  })
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-www-form-urlencoded',
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      },
      body,
    },
    { signingDate: options.signingDate ?? new Date() },
  )
  const sent = options.tamperBody ?? body
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: { ...signed.headers, 'content-length': Buffer.byteLength(sent) },
        agent: false,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }))
      },
    )
    req.on('error', reject)
    req.end(sent)
  })
}
