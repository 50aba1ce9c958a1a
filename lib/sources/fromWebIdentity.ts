import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import type { AssumeRoleWithWebIdentityCommandInput } from '@aws-sdk/client-sts'
import { CredentialError, isCredentialError } from '../errors.js'
import { abortable } from '../internal/abortable.js'
import { defined } from '../internal/defined.js'
import { guarded, requireObject, snapshot } from '../internal/validate.js'
import { defaultSessionName } from './sts/stsCall.js'
import { checkLogger } from '../internal/sdkLogger.js'
import type { StsSourceOptions } from './sts/stsClient.js'
import { stsSource } from './sts/stsSource.js'
import { abortError } from '../internal/stsErrors.js'
import {
  DEFAULT_STS_TIMEOUT_MS,
  invalid,
  validateParams,
  validateStsOptions,
  WEB_IDENTITY_CHECKS,
} from './sts/stsValidate.js'
import type { CredentialSource, SourceContext } from '../types.js'

/**
 * The STS parameters of {@link fromWebIdentity} besides the token.
 *
 * @category sources
 * @since 0.1.0
 */
export type FromWebIdentityBaseParams = Omit<
  AssumeRoleWithWebIdentityCommandInput,
  'WebIdentityToken' | 'RoleSessionName'
> & {
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

/** Largest token file read; STS takes tokens of up to 20 000 characters. */
const MAX_TOKEN_BYTES = 64 * 1024

/**
 * Reads the token file without ever blocking a thread-pool thread on it: opened with
 * O_NONBLOCK (a FIFO nobody writes to opens at once instead of waiting for a writer) and
 * refused unless it is a regular file (a FIFO, device or socket could block or never end).
 */
const readTokenFile = async (path: string): Promise<string> => {
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    if (!(await file.stat()).isFile()) throw new Error('not a regular file')
    const buffer = Buffer.alloc(MAX_TOKEN_BYTES)
    const { bytesRead } = await file.read(buffer, 0, MAX_TOKEN_BYTES, 0)
    return buffer.subarray(0, bytesRead).toString('utf8').trim()
  } finally {
    await file.close()
  }
}

const tokenOf = async (params: FromWebIdentityParams): Promise<string> => {
  try {
    const raw =
      params.WebIdentityTokenFile !== undefined
        ? await readTokenFile(params.WebIdentityTokenFile)
        : typeof params.WebIdentityToken === 'function'
          ? await params.WebIdentityToken()
          : params.WebIdentityToken
    if (typeof raw !== 'string' || raw.length < 4 || raw.length > 20_000)
      throw new CredentialError(`${SOURCE}: the web identity token must be a string of 4–20000 characters`, {
        code: 'InvalidCredentials',
        source: SOURCE,
      })
    return raw
  } catch (e) {
    if (isCredentialError(e)) throw e
    const where =
      params.WebIdentityTokenFile !== undefined
        ? `the file ${params.WebIdentityTokenFile}`
        : 'the WebIdentityToken function'
    throw new CredentialError(`${SOURCE}: could not read the web identity token from ${where}`, {
      code: 'SourceFailed',
      source: SOURCE,
      cause: e,
    })
  }
}

/**
 * A credential source that calls STS AssumeRoleWithWebIdentity at every call, unsigned as
 * STS expects (no base credentials are resolved). The token is read at each call, so a
 * rotated token file (EKS, GitHub Actions) is picked up. Caches nothing but its private
 * `STSClient` (created at the first call, destroyed by `close()`). Not MFA-capable.
 * The call has a deadline, `options.timeoutMs` (default `10000` ms): reading the token
 * (file or function) and the STS request with the SDK's retries; past it the call fails
 * with `Timeout` (retryable). A token file must be a regular file: it is opened
 * non-blocking, so a FIFO or a device fails at once with `SourceFailed` instead of hanging.
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
export const fromWebIdentity = (
  given: FromWebIdentityParams,
  givenOptions: FromWebIdentityOptions = {},
): CredentialSource & { readonly close: () => void } =>
  guarded(SOURCE, () =>
    build(snapshot(SOURCE, 'params', given), snapshot(SOURCE, 'options', givenOptions, ['clientConfig'])),
  )

const build = (
  params: FromWebIdentityParams,
  options: FromWebIdentityOptions,
): CredentialSource & { readonly close: () => void } => {
  requireObject(SOURCE, 'params', params)
  const hasToken = params.WebIdentityToken !== undefined
  const hasFile = params.WebIdentityTokenFile !== undefined
  if (hasToken === hasFile) throw invalid(SOURCE, 'give exactly one of WebIdentityToken and WebIdentityTokenFile')
  const given: unknown = params.WebIdentityToken
  if (hasToken && typeof given !== 'string' && typeof given !== 'function')
    throw invalid(
      SOURCE,
      `WebIdentityToken must be a string or a function returning one (got ${given === null ? 'null' : typeof given})`,
    )
  if (hasFile && (typeof params.WebIdentityTokenFile !== 'string' || params.WebIdentityTokenFile === ''))
    throw invalid(SOURCE, 'WebIdentityTokenFile must be a non-empty string, the path of the token file')
  const { WebIdentityToken, WebIdentityTokenFile: _file, ...rest } = params
  validateParams(
    SOURCE,
    typeof WebIdentityToken === 'string' ? { ...rest, WebIdentityToken } : rest,
    WEB_IDENTITY_CHECKS,
    'RoleArn',
  )
  validateStsOptions(SOURCE, options, false)
  const { region, clientConfig, timeoutMs = DEFAULT_STS_TIMEOUT_MS } = options
  const logger = checkLogger(SOURCE, options.logger)
  return stsSource({
    source: SOURCE,
    action: 'AssumeRoleWithWebIdentity',
    options: defined({ region, clientConfig, timeoutMs, logger }),
    mfa: false,
    params: rest,
    // timeoutMs covers the whole call: reading the token, then the STS request.
    deadlineCoversInput: true,
    input: async (context: SourceContext | undefined): Promise<AssumeRoleWithWebIdentityCommandInput> => ({
      ...rest,
      RoleSessionName: rest.RoleSessionName ?? defaultSessionName(),
      WebIdentityToken: await abortable(tokenOf(params), {
        signal: context?.signal,
        aborted: (signal) => abortError(SOURCE, signal),
        timeoutMs,
        // The caller awaits this deadline: it must keep the process alive.
        unref: false,
        timedOut: () =>
          new CredentialError(
            `${SOURCE}: no web identity token within timeoutMs (${timeoutMs} ms); check the token file or function`,
            { code: 'Timeout', source: SOURCE, retryable: true },
          ),
      }),
    }),
  })
}
