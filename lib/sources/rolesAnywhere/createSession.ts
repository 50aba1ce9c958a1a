import type { AwsCredentialIdentity } from '../../types.js'
import type { SigningMaterial } from './material.js'
import type { RolesAnywhereTarget } from './options.js'
import { decodeSession, rejection } from './response.js'
import { signRequest } from './sign.js'
import { post } from './transport.js'

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
export const createSession = async (r: CreateSessionRequest, signal: AbortSignal): Promise<AwsCredentialIdentity> => {
  const headers = signRequest(r.material, {
    host: r.target.host,
    path: '/sessions',
    query: r.query,
    body: r.body,
    region: r.region,
    nowMs: r.now(),
  })
  const answer = await post(r.target, r.path, headers, r.body, signal, r.ca)
  if (answer.status < 200 || answer.status > 299) throw rejection(answer)
  return decodeSession(answer, r.now())
}
