import type { AssumeRoleCommandOutput } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@smithy/types'
import { CredentialError, type CredentialErrorCode } from '../../errors.js'
import type { SourceContext } from '../../types.js'
import { logTo, type Logger } from '../../internal/sdkLogger.js'
import { abortable } from '../../internal/abortable.js'
import { abortError, stsError } from '../../internal/stsErrors.js'

/**
 * Sends one STS command within `timeoutMs` and the caller's signal; every failure becomes a
 * `CredentialError`. The call does not wait for the SDK to obey an abort (a base provider or
 * request handler that ignores it cannot hold it); the SDK's signal is aborted then, so the
 * request is torn down.
 */
export const sendSts = async <T>(
  send: (options: { abortSignal?: AbortSignal }) => Promise<T>,
  context: SourceContext | undefined,
  source: string,
  action: string,
  timeoutMs: number,
  logger?: Logger,
): Promise<T> => {
  const signal = context?.signal
  if (signal?.aborted) throw abortError(source, signal)
  const controller = new AbortController()
  logTo(logger, 'debug', `${source}: STS ${action}${context?.mfa ? ' with an MFA code' : ''}`)
  try {
    return await abortable(send({ abortSignal: controller.signal }), {
      signal,
      aborted: (s) => abortError(source, s),
      timeoutMs,
      timedOut: () =>
        new CredentialError(`${source}: STS ${action}: no answer within timeoutMs (${timeoutMs} ms)`, {
          code: 'Timeout',
          source,
          retryable: true,
        }),
    })
  } catch (e) {
    controller.abort()
    const error = stsError(e, source, action)
    // The message names the source and the action already.
    logTo(logger, 'warn', `${error.message} (${error.code})`)
    throw error
  }
}

/** What the three STS actions answer: `AssumedRoleUser` is absent from GetSessionToken's. */
export type StsAnswer = Pick<AssumeRoleCommandOutput, 'Credentials' | 'AssumedRoleUser'>

/**
 * An STS answer to an identity with `expiration` as a Date and `accountId` when the
 * assumed-role ARN (`arn:aws:sts::123456789012:assumed-role/...`) holds it.
 */
export const toIdentity = ({ Credentials, AssumedRoleUser }: StsAnswer, source: string): AwsCredentialIdentity => {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = Credentials ?? {}
  const fail = (code: CredentialErrorCode, what: string) => new CredentialError(`${source}: ${what}`, { code, source })
  if (!AccessKeyId || !SecretAccessKey || !SessionToken) throw fail('SourceFailed', 'incomplete STS answer')
  // The SDK gives a Date; a copy, so that the caller cannot change the client's.
  const expiration = Expiration && new Date(Expiration)
  if (expiration && !(expiration.getTime() > Date.now()))
    throw fail('Expired', 'expired STS credentials; check the clock')
  const account = AssumedRoleUser?.Arn?.split(':')[4]
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: SessionToken,
    ...(expiration && { expiration }),
    ...(account !== undefined && /^\d{12}$/.test(account) && { accountId: account }),
  }
}

/** A command's own middleware stack, as far as {@link oneAttempt} needs it. */
export type CommandStack = {
  readonly middlewareStack: { readonly add: (middleware: unknown, options: object) => void }
}

/**
 * Makes `command` one attempt, whatever retry settings its client has: the client's retry
 * middleware (`retryMiddleware`, finalizeRequest step) is replaced for this command only by
 * the identity middleware (the next handler, called once; an override names the same step
 * and priority as the one it replaces). For calls carrying a one-time MFA code, which AWS
 * refuses when it comes twice; other calls of the same client keep the SDK's retries.
 */
export const oneAttempt = (command: CommandStack): void =>
  command.middlewareStack.add((next: unknown) => next, {
    name: 'retryMiddleware',
    step: 'finalizeRequest',
    priority: 'high',
    override: true,
  })

/** A valid default RoleSessionName (2–64 of `[\w+=,.@-]`), unique per call. */
export const defaultSessionName = (): string => `aws-refresh-session-${Date.now()}`
