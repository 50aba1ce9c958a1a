import { readFile } from 'node:fs/promises'
import type { AssumeRoleWithWebIdentityCommandInput } from '@aws-sdk/client-sts'
import { CredentialError, isCredentialError } from '../errors.js'
import { defaultSessionName, named, sendSts, toIdentity } from '../internal/stsCall.js'
import { lazyStsClient, type StsSourceOptions } from '../internal/stsClient.js'
import { invalid, requireObject, STS_CHECKS, validateParams, validateStsOptions } from '../internal/stsValidate.js'
import type { CredentialSource, SourceContext } from '../types.js'

/**
 * The STS parameters of {@link fromWebIdentity} besides the token.
 *
 * @category sources
 * @since 0.1.0
 */
export type FromWebIdentityBaseParams = Omit<AssumeRoleWithWebIdentityCommandInput, 'WebIdentityToken' | 'RoleSessionName'> & {
  /** @default `aws-refresh-session-<epoch ms>`, new at each call */
  readonly RoleSessionName?: string
}

/**
 * The parameters of {@link fromWebIdentity}: STS `AssumeRoleWithWebIdentityCommandInput`
 * with `RoleSessionName` optional and exactly one of `WebIdentityToken` (a string, or a
 * function called at each call) and `WebIdentityTokenFile` (a path read at each call).
 *
 * @category sources
 * @since 0.1.0
 */
export type FromWebIdentityParams = FromWebIdentityBaseParams &
  (
    | { readonly WebIdentityToken: string | (() => string | Promise<string>); readonly WebIdentityTokenFile?: never }
    | { readonly WebIdentityTokenFile: string; readonly WebIdentityToken?: never }
  )

/**
 * Options of {@link fromWebIdentity}: `region`, `clientConfig` and `timeoutMs` (default
 * `10000`) of {@link StsSourceOptions}; there is no `source`: the request is unsigned.
 *
 * @category sources
 * @since 0.1.0
 */
export type FromWebIdentityOptions = Omit<StsSourceOptions, 'source'>

const SOURCE = 'fromWebIdentity'

const tokenOf = async (params: FromWebIdentityParams): Promise<string> => {
  try {
    const raw = params.WebIdentityTokenFile !== undefined
      ? (await readFile(params.WebIdentityTokenFile, 'utf8')).trim()
      : typeof params.WebIdentityToken === 'function' ? await params.WebIdentityToken() : params.WebIdentityToken
    if (typeof raw !== 'string' || raw.length < 4 || raw.length > 20_000)
      throw new CredentialError(`${SOURCE}: the web identity token must be a string of 4–20000 characters`, { code: 'InvalidCredentials', source: SOURCE })
    return raw
  } catch (e) {
    if (isCredentialError(e)) throw e
    const where = params.WebIdentityTokenFile !== undefined ? `the file ${params.WebIdentityTokenFile}` : 'the WebIdentityToken function'
    throw new CredentialError(`${SOURCE}: could not read the web identity token from ${where}`, { code: 'SourceFailed', source: SOURCE, cause: e })
  }
}

/**
 * A credential source that calls STS AssumeRoleWithWebIdentity at every call, unsigned as
 * STS expects (no base credentials are resolved). The token is read at each call, so a
 * rotated token file (EKS, GitHub Actions) is picked up. Caches nothing but its private
 * `STSClient` (created at the first call, destroyed by `close()`). Not MFA-capable.
 * The STS request has a deadline, `options.timeoutMs` (default `10000` ms, SDK retries
 * included): past it the request is aborted and the call fails with `Timeout` (retryable).
 *
 * @throws CredentialError `InvalidConfiguration` at construction (both or neither token
 * options, a token that is not a string or function, a token file that is not a path, bad
 * parameters, bad `region`, `clientConfig` or `timeoutMs`); at call time `SourceFailed`
 * (token unreadable), `InvalidCredentials` (token length), `StsRejected`, `Throttled`,
 * `ServiceUnavailable`, `NetworkError`, `Aborted`, `Timeout`, `Expired`.
 * @example
 * ```ts
 * const source = fromWebIdentity({
 *   RoleArn: process.env.AWS_ROLE_ARN!,
 *   WebIdentityTokenFile: process.env.AWS_WEB_IDENTITY_TOKEN_FILE!,
 * })
 * ```
 * @category sources
 * @since 0.1.0
 */
export const fromWebIdentity = (params: FromWebIdentityParams, options: FromWebIdentityOptions = {}): CredentialSource & { readonly close: () => void } => {
  requireObject(SOURCE, 'params', params)
  const hasToken = params.WebIdentityToken !== undefined
  const hasFile = params.WebIdentityTokenFile !== undefined
  if (hasToken === hasFile) throw invalid(SOURCE, 'give exactly one of WebIdentityToken and WebIdentityTokenFile')
  const given: unknown = params.WebIdentityToken
  if (hasToken && typeof given !== 'string' && typeof given !== 'function')
    throw invalid(SOURCE, `WebIdentityToken must be a string or a function returning one (got ${given === null ? 'null' : typeof given})`)
  if (hasFile && (typeof params.WebIdentityTokenFile !== 'string' || params.WebIdentityTokenFile === ''))
    throw invalid(SOURCE, 'WebIdentityTokenFile must be a non-empty string, the path of the token file')
  const { WebIdentityToken, WebIdentityTokenFile: _file, ...rest } = params
  validateParams(SOURCE, typeof WebIdentityToken === 'string' ? { ...rest, WebIdentityToken } : rest, STS_CHECKS, ['RoleArn'])
  const { timeoutMs } = validateStsOptions(SOURCE, options, false)
  const sts = lazyStsClient({ region: options.region, clientConfig: options.clientConfig }, SOURCE)
  return Object.assign(
    named(SOURCE, async (context?: SourceContext) => {
      const token = await tokenOf(params)
      const { client, sts: mod } = await sts.get(context)
      const input: AssumeRoleWithWebIdentityCommandInput = {
        ...rest,
        RoleSessionName: rest.RoleSessionName ?? defaultSessionName(),
        WebIdentityToken: token,
      }
      const command = new mod.AssumeRoleWithWebIdentityCommand(input)
      const out = await sendSts((o) => client.send(command, o), context, SOURCE, 'AssumeRoleWithWebIdentity', timeoutMs)
      return toIdentity(out.Credentials, out.AssumedRoleUser?.Arn, SOURCE)
    }),
    { close: sts.close },
  )
}
