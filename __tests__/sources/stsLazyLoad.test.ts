import { startStsEmulator } from '../../lib/testing/startStsEmulator'

describe('STS sources', () => {
  it('do not load @aws-sdk/client-sts when imported, only at their first call', async () => {
    const sts = await startStsEmulator()
    let loaded = 0
    jest.doMock('@aws-sdk/client-sts', () => {
      loaded += 1
      return jest.requireActual('@aws-sdk/client-sts')
    })
    let mod: typeof import('../../lib/sources/fromAssumeRole') | undefined
    await jest.isolateModulesAsync(async () => {
      // The package root and the STS modules it re-exports: none of them may load the SDK.
      await import('../../lib/index')
      await import('../../lib/sources/fromSessionToken')
      await import('../../lib/sources/fromWebIdentity')
      await import('../../lib/transforms/withMfa')
      await import('../../lib/mfa/totp')
      await import('../../lib/mfa/promptForCode')
      await import('../../lib/mfa/codeFromCommand')
      mod = await import('../../lib/sources/fromAssumeRole')
    })
    try {
      expect(loaded).toBe(0)
      const source = mod!.fromAssumeRole(
        { RoleArn: sts.roleArns[0]! },
        { source: async () => sts.baseCredentials, clientConfig: { endpoint: sts.endpoint, region: sts.region } },
      )
      expect(loaded).toBe(0)
      await source()
      expect(loaded).toBe(1)
      source.close()
    } finally {
      jest.dontMock('@aws-sdk/client-sts')
      await sts.close()
    }
  })
})
