import { CredentialError } from '../lib/errors'
import { withRefresh } from '../lib/refresh/withRefresh'
import { fromAssumeRole } from '../lib/sources/fromAssumeRole'
import { startStsEmulator } from '../lib/testing/startStsEmulator'
import { totp } from '../lib/mfa/totp'
import { withMfa } from '../lib/transforms/withMfa'
import { CANARY_MARKER, findCanary } from './support/canaries'
import { pipe } from 'fp-ts/function'

describe('secret canaries', () => {
  it('finds the marker and shows where', () => {
    expect(findCanary(`x ${CANARY_MARKER}secret y`)).toContain(CANARY_MARKER)
    expect(findCanary('nothing here')).toBeUndefined()
  })

  it('the emulators run with canary secrets by default, so every test that uses them is a leak check', async () => {
    const sts = await startStsEmulator()
    try {
      expect(sts.baseCredentials.secretAccessKey).toContain(CANARY_MARKER)
      expect(sts.mfa.secret).toContain(CANARY_MARKER)
    } finally {
      await sts.close()
    }
  })

  it('failures with canary secrets (a wrong base secret, a wrong MFA secret) produce CredentialErrors without them', async () => {
    const sts = await startStsEmulator({ roles: [{ arn: 'arn:aws:iam::123456789012:role/mfa', mfaRequired: true }] })
    const errors: unknown[] = []
    const events: unknown[] = []
    try {
      const wrongSecret = pipe(
        fromAssumeRole({ RoleArn: sts.roleArns[0]!, SerialNumber: sts.mfa.serialNumber }, {
          source: async () => ({ accessKeyId: sts.baseCredentials.accessKeyId, secretAccessKey: `${CANARY_MARKER}wrongSecret000000000000000000000` }),
          clientConfig: { endpoint: sts.endpoint, region: sts.region, maxAttempts: 1 },
        }),
        withMfa(totp(sts.mfa.secret)),
        withRefresh({ onEvent: (e) => events.push(e) }),
      )
      const wrongMfa = pipe(
        fromAssumeRole({ RoleArn: sts.roleArns[0]!, SerialNumber: sts.mfa.serialNumber }, {
          source: async () => sts.baseCredentials,
          clientConfig: { endpoint: sts.endpoint, region: sts.region, maxAttempts: 1 },
        }),
        withMfa(totp('CANARYOTHERSECRETCANARYOTHERAAAA')),
        withRefresh({ onEvent: (e) => events.push(e) }),
      )
      errors.push(await wrongSecret().catch((e: unknown) => e), await wrongMfa().catch((e: unknown) => e))
      wrongSecret.close()
      wrongMfa.close()
    } finally {
      await sts.close()
    }
    expect(errors).toEqual([expect.any(CredentialError), expect.any(CredentialError)])
    expect(errors.map((e) => (e as CredentialError).code)).toEqual(['StsRejected', 'MfaCodeInvalid'])
    const text = JSON.stringify([errors.map((e) => (e as Error).message), events])
    expect(findCanary(text)).toBeUndefined()
  })
})
