import { CredentialError } from '../errors.js'
import { loadSts } from '../internal/loadSts.js'
import { stsError } from '../internal/stsErrors.js'
import type { CallerIdentity, ClientFactory } from '../types.js'
import { SOURCE } from './cacheConfig.js'

/**
 * `whoami()` of a factory: GetCallerIdentity through the factory's own `client(STSClient)`,
 * so it is signed with the factory's credentials (never a source's base credentials) and
 * built with the factory's region and defaults. The answer is not cached.
 */
export const createWhoami = (client: ClientFactory['client']) => async (): Promise<CallerIdentity> => {
  const sts = await loadSts(SOURCE, 'whoami()')
  const { Account, Arn, UserId } = await client(sts.STSClient)
    .send(new sts.GetCallerIdentityCommand({}))
    .catch((e: unknown) => {
      throw stsError(e, SOURCE, 'GetCallerIdentity')
    })
  if (!Account || !Arn || !UserId)
    throw new CredentialError(`${SOURCE}: whoami(): incomplete STS answer`, { code: 'SourceFailed', source: SOURCE })
  return { Account, Arn, UserId }
}
