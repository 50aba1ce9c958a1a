import type { AwsCredentialIdentity } from '@smithy/types'
import { named } from '../../internal/named.js'
import type { CredentialSource, MfaCapableSource, SourceContext } from '../../types.js'
import { mfaParams, oneAttempt, sendSts } from './stsCall.js'
import { lazyStsClient, type StsModule, type StsSourceOptions } from './stsClient.js'

/** A command of `@aws-sdk/client-sts` (its answer's type comes from the spec's `output`). */
type StsCommand = {
  readonly middlewareStack: { readonly add: (...args: never[]) => void }
  readonly resolveMiddleware: unknown
  readonly input: unknown
}

/** @internal What one STS source does, on top of the skeleton every STS source shares. */
export type StsSpec<I, O, M extends boolean> = {
  /** The source name errors and events carry. */
  readonly source: string
  /** The STS action, as the logs and errors name it. */
  readonly action: string
  /** The validated options (snapshot). */
  readonly options: StsSourceOptions
  /** The validated deadline of one request. */
  readonly timeoutMs: number
  /** Whether calls take an MFA code (`context.mfa`, `SerialNumber`). */
  readonly mfa: M
  /** The configured MFA device; without a code a call fails with `MfaRequired`. */
  readonly serialNumber?: string | undefined
  /** The command input of one call; `mfa` holds `SerialNumber`/`TokenCode` when a code came. */
  readonly input: (
    context: SourceContext | undefined,
    mfa: { SerialNumber?: string; TokenCode?: string },
  ) => I | Promise<I>
  /** `timeoutMs` covers `input` too (it does I/O): the request gets what remains. @default false */
  readonly deadlineCoversInput?: boolean
  /** The command of one call, e.g. `new sts.AssumeRoleCommand(input)`. */
  readonly command: (sts: StsModule, input: I) => StsCommand
  /** The answer to an identity (`toIdentity`). */
  readonly output: (out: O) => AwsCredentialIdentity
}

/** @internal The source {@link stsSource} makes. */
export type StsSource<M extends boolean> = (M extends true ? MfaCapableSource : CredentialSource) & {
  readonly close: () => void
}

/**
 * @internal The skeleton of every STS source: a private client created at the first call
 * (and destroyed by `close()`), the MFA parameters (one attempt per code), one request
 * within the deadline, the answer mapped to an identity. Validation stays with the caller.
 */
export const stsSource = <I, O, M extends boolean>(spec: StsSpec<I, O, M>): StsSource<M> => {
  const { source, action, timeoutMs } = spec
  const sts = lazyStsClient(spec.options, source)
  const call = named(source, async (context?: SourceContext): Promise<AwsCredentialIdentity> => {
    const startedAt = Date.now()
    const mfa = spec.mfa ? mfaParams(spec.serialNumber, context, source) : {}
    const input = await spec.input(context, mfa)
    const { client, sts: mod, logger } = await sts.get(context)
    const command = spec.mfa ? oneAttempt(spec.command(mod, input), context) : spec.command(mod, input)
    const send = client.send.bind(client) as unknown as (c: StsCommand, o: { abortSignal?: AbortSignal }) => Promise<O>
    const deadlineMs = spec.deadlineCoversInput ? Math.max(1, timeoutMs - (Date.now() - startedAt)) : timeoutMs
    return spec.output(await sendSts((o) => send(command, o), context, source, action, deadlineMs, logger))
  })
  return Object.assign(call, { close: sts.close }, spec.mfa && { mfaSerialNumber: spec.serialNumber })
}
