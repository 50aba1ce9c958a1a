import { CredentialError } from '../lib/errors'
import { withRefresh } from '../lib/refresh/withRefresh'
import { fromAssumeRole } from '../lib/sources/fromAssumeRole'
import { fromRolesAnywhere } from '../lib/sources/fromRolesAnywhere'
import { startRolesAnywhereEmulator } from '../lib/testing/startRolesAnywhereEmulator'
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
        fromAssumeRole(
          { RoleArn: sts.roleArns[0]!, SerialNumber: sts.mfa.serialNumber },
          {
            source: async () => ({
              accessKeyId: sts.baseCredentials.accessKeyId,
              secretAccessKey: `${CANARY_MARKER}wrongSecret000000000000000000000`,
            }),
            clientConfig: { endpoint: sts.endpoint, region: sts.region, maxAttempts: 1 },
          },
        ),
        withMfa(totp(sts.mfa.secret)),
        withRefresh({ onEvent: (e) => events.push(e) }),
      )
      const wrongMfa = pipe(
        fromAssumeRole(
          { RoleArn: sts.roleArns[0]!, SerialNumber: sts.mfa.serialNumber },
          {
            source: async () => sts.baseCredentials,
            clientConfig: { endpoint: sts.endpoint, region: sts.region, maxAttempts: 1 },
          },
        ),
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

  it('Roles Anywhere failures (a wrong passphrase, a foreign key, a refusal, a fault) hold neither the passphrase nor key material', async () => {
    const ra = await startRolesAnywhereEmulator()
    const passphrase = `${CANARY_MARKER}-ra-passphrase`
    const c = ra.certificate
    const base = {
      endpoint: ra.endpoint,
      trustAnchorArn: ra.trustAnchorArn,
      profileArn: ra.profileArn,
      roleArn: ra.roleArn,
      certificate: c.certificate,
      intermediates: c.intermediates!,
    }
    const errors: unknown[] = []
    const events: unknown[] = []
    try {
      const other = await ra.issueCertificate()
      for (const build of [
        () =>
          fromRolesAnywhere({
            ...base,
            privateKey: c.encryptPrivateKey(passphrase),
            passphrase: `${CANARY_MARKER}-wrong`,
          }),
        () => fromRolesAnywhere({ ...base, privateKey: other.privateKey }),
        () =>
          fromRolesAnywhere({
            ...base,
            pfx: c.toPfx(passphrase),
            passphrase: `${CANARY_MARKER}-wrong`,
            certificate: undefined,
          }),
      ]) {
        try {
          build()
        } catch (e) {
          errors.push(e)
        }
      }
      const refused = pipe(
        fromRolesAnywhere({
          ...base,
          roleArn: 'arn:aws:iam::123456789012:role/none',
          privateKey: c.encryptPrivateKey(passphrase),
          passphrase,
        }),
        withRefresh({ onEvent: (e) => events.push(e) }),
      )
      errors.push(await refused().catch((e: unknown) => e))
      ra.inject({ type: 'status', status: 500 })
      errors.push(await fromRolesAnywhere({ ...base, privateKey: c.privateKey })().catch((e: unknown) => e))
      refused.close()
    } finally {
      await ra.close()
    }
    expect(errors.map((e) => (e as CredentialError).code)).toEqual([
      'InvalidConfiguration',
      'InvalidConfiguration',
      'InvalidConfiguration',
      'RolesAnywhereRejected',
      'ServiceUnavailable',
    ])
    const text = JSON.stringify([errors.map((e) => (e as Error).message), events])
    expect(findCanary(text)).toBeUndefined()
    const keyBody = c.privateKey.split('\n')[1]!
    expect(text).not.toContain(keyBody.slice(0, 24))
    expect(text).not.toContain('PRIVATE KEY')
  })
})
