import type { AwsCredentialIdentity } from '@smithy/types'
import { named } from '../../internal/named.js'
import type { CredentialSource, MfaCapableSource, SourceContext } from '../../types.js'
import { CredentialError } from '../../errors.js'
import { oneAttempt, sendSts, toIdentity, type CommandStack, type StsAnswer } from './stsCall.js'
import { lazyStsClient, type StsSourceOptions } from './stsClient.js'
import { DEFAULT_STS_TIMEOUT_MS } from './stsValidate.js'

/** @internal The STS actions of the sources; the command of each is `<action>Command` of `@aws-sdk/client-sts`. */
export type StsAction = 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'GetSessionToken'

/** @internal What one STS source does, on top of the skeleton every STS source shares. */
export type StsSpec<I, M extends boolean> = {
  /** The source name errors and events carry. */
  readonly source: string
  /** The STS action: the command sent, as the logs and errors name it. */
  readonly action: StsAction
  /** The validated options (snapshot); `timeoutMs` unset is `DEFAULT_STS_TIMEOUT_MS`. */
  readonly options: StsSourceOptions
  /** Whether calls take an MFA code (`context.mfa`, `SerialNumber`). */
  readonly mfa: M
  /** The validated parameters; with `SerialNumber` (the MFA device), a call without a code fails with `MfaRequired`. */
  readonly params: { readonly SerialNumber?: string | undefined; readonly [name: string]: unknown }
  /** The command input of one call; `mfa` holds `SerialNumber`/`TokenCode` when a code came. */
  readonly input: (
    context: SourceContext | undefined,
    mfa: { SerialNumber?: string; TokenCode?: string },
  ) => I | Promise<I>
  /** `timeoutMs` covers `input` too (it does I/O): the request gets what remains. @default false */
  readonly deadlineCoversInput?: boolean
}

/** @internal The source {@link stsSource} makes. */
export type StsSource<M extends boolean> = (M extends true ? MfaCapableSource : CredentialSource) & {
  readonly close: () => void
}

/**
 * @internal The skeleton of every STS source: a private client created at the first call
 * (and destroyed by `close()`), the MFA parameters (one attempt per code), one request
 * within the deadline, the answer mapped to an identity (`toIdentity`). Validation stays
 * with the caller.
 */
export const stsSource = <I, M extends boolean>(spec: StsSpec<I, M>): StsSource<M> => {
  const { source, action } = spec
  const timeoutMs = spec.options.timeoutMs ?? DEFAULT_STS_TIMEOUT_MS
  const sts = lazyStsClient(spec.options, source)
  const call = named(source, async (context?: SourceContext): Promise<AwsCredentialIdentity> => {
    const startedAt = Date.now()
    const mfa = context?.mfa
    // A serial configured but no code: the source was not wrapped in withMfa.
    if (!mfa && spec.params.SerialNumber !== undefined)
      throw new CredentialError(`${source}: SerialNumber needs an MFA code; use withMfa`, {
        code: 'MfaRequired',
        source,
      })
    // A source that takes no MFA code has no SerialNumber: it gets {} (its input ignores it).
    const input = await spec.input(context, mfa ? { SerialNumber: mfa.serialNumber, TokenCode: mfa.tokenCode } : {})
    const { client, sts: mod, logger } = await sts.get(context)
    const command = new (mod[`${action}Command`] as unknown as new (input: I) => CommandStack)(input)
    if (spec.mfa && mfa) oneAttempt(command)
    const deadlineMs = spec.deadlineCoversInput ? Math.max(1, timeoutMs - (Date.now() - startedAt)) : timeoutMs
    const send = (o: { abortSignal?: AbortSignal }) => client.send(command as never, o) as Promise<StsAnswer>
    return toIdentity(await sendSts(send, context, source, action, deadlineMs, logger), source)
  })
  return Object.assign(call, { close: sts.close }, spec.mfa && { mfaSerialNumber: spec.params.SerialNumber })
}
