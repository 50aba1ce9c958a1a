import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts'
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
  const stsClient = client(sts.STSClient)
  let out: GetCallerIdentityCommandOutput
  try {
    out = await stsClient.send(new sts.GetCallerIdentityCommand({}))
  } catch (e) {
    throw stsError(e, SOURCE, 'GetCallerIdentity')
  }
  const { Account, Arn, UserId } = out
  if (!Account || !Arn || !UserId)
    throw new CredentialError(`${SOURCE}: incomplete STS answer to GetCallerIdentity`, {
      code: 'SourceFailed',
      source: SOURCE,
    })
  return { Account, Arn, UserId }
}
