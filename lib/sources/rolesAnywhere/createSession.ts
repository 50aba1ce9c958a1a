import type { AwsCredentialIdentity } from '../../types.js'
import type { SigningMaterial } from './material.js'
import type { RolesAnywhereTarget } from './options.js'
import { decodeSession, rejection } from './response.js'
import { signRequest } from './sign.js'
import { post, postThrough, type CallerHandler } from './transport.js'

/** @internal One CreateSession call, everything fixed at construction plus the clock. */
export type CreateSessionRequest = {
  readonly material: SigningMaterial
  readonly target: RolesAnywhereTarget
  readonly region: string
  readonly query: Readonly<Record<string, string>>
  readonly path: string
  readonly body: string
  readonly ca: Buffer | undefined
  readonly now: () => number
}

/**
 * @internal Signs, sends and decodes one `POST /sessions`. `fromRolesAnywhere` imports this
 * module at its first call, so the root entry does not load the signer, node:http/https or
 * the answer decoder.
 */
/**
 * @internal The calling client's request handler, when the source has no `ca` of its own (its
 * own TLS trust wins): an HTTP/1.1 smithy handler; an HTTP/2 one is not taken, as the SDK's
 * `fromTemporaryCredentials` does not.
 */
export const callerHandler = (r: CreateSessionRequest, h: unknown): CallerHandler | undefined => {
  const handler = h as (CallerHandler & { readonly metadata?: { readonly handlerProtocol?: string } }) | undefined
  return r.ca === undefined && typeof handler?.handle === 'function' && handler.metadata?.handlerProtocol !== 'h2'
    ? handler
    : undefined
}

export const createSession = async (
  r: CreateSessionRequest,
  signal: AbortSignal,
  handler: CallerHandler | undefined,
): Promise<AwsCredentialIdentity> => {
  const headers = signRequest(r.material, {
    host: r.target.host,
    path: '/sessions',
    query: r.query,
    body: r.body,
    region: r.region,
    nowMs: r.now(),
  })
  const answer =
    handler === undefined
      ? await post(r.target, r.path, headers, r.body, signal, r.ca)
      : await postThrough(handler, r.target, r.path, headers, r.body, signal)
  if (answer.status < 200 || answer.status > 299) throw rejection(answer)
  return decodeSession(answer, r.now())
}
