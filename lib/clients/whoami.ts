import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts'
import { CredentialError } from '../errors.js'
import { loadPeer } from '../internal/loadPeer.js'
import { stsError } from '../internal/stsErrors.js'
import type { CallerIdentity, ClientFactory } from '../types.js'
import { SOURCE } from './cacheConfig.js'

type StsModule = typeof import('@aws-sdk/client-sts')

/** `@aws-sdk/client-sts` is loaded at the first `whoami()` only. */
const loadSts = (): Promise<StsModule> =>
  loadPeer<StsModule>('@aws-sdk/client-sts', {
    source: SOURCE,
    purpose: 'whoami()',
    load: () => import('@aws-sdk/client-sts'),
  })

/**
 * `whoami()` of a factory: GetCallerIdentity through the factory's own `client(STSClient)`,
 * so it is signed with the factory's credentials (never a source's base credentials) and
 * built with the factory's region and defaults. The answer is not cached.
 */
export const createWhoami = (client: ClientFactory['client']) => async (): Promise<CallerIdentity> => {
  const sts = await loadSts()
  const stsClient = client(sts.STSClient)
  let out: GetCallerIdentityCommandOutput
  try {
    out = await stsClient.send(new sts.GetCallerIdentityCommand({}))
  } catch (e) {
    throw stsError(e, SOURCE, 'GetCallerIdentity')
  }
  const { Account, Arn, UserId } = out
  if (!Account || !Arn || !UserId)
    throw new CredentialError(`${SOURCE}: STS answered GetCallerIdentity without Account, Arn or UserId`, {
      code: 'SourceFailed',
      source: SOURCE,
    })
  return { Account, Arn, UserId }
}
