import { startIotEmulator } from '../../lib/testing/startIotEmulator'

describe('fromIotCertificate', () => {
  it('loads @aws-sdk/client-iot only to discover an endpoint and aws-crt only for PKCS#11', async () => {
    const iot = await startIotEmulator()
    const loaded = { iot: 0, crt: 0 }
    jest.doMock('@aws-sdk/client-iot', () => {
      loaded.iot += 1
      return jest.requireActual('@aws-sdk/client-iot')
    })
    jest.doMock('aws-crt', () => {
      loaded.crt += 1
      return {}
    })
    let mod: typeof import('../../lib/sources/fromIotCertificate') | undefined
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules needs a synchronous require
      mod = require('../../lib/sources/fromIotCertificate')
    })
    const common = {
      connectTo: iot.address,
      ca: iot.ca,
      certificate: iot.device.certificate,
      privateKey: iot.device.privateKey,
      roleAlias: 'device-role',
    }
    const fixed = mod!.fromIotCertificate({ ...common, endpoint: iot.hostName })
    await fixed()
    expect(loaded).toEqual({ iot: 0, crt: 0 })
    const discovering = mod!.fromIotCertificate({
      ...common,
      region: iot.region,
      discovery: async () => iot.discovery.credentials,
      discoveryClientConfig: { endpoint: iot.discovery.endpoint },
    })
    expect(loaded).toEqual({ iot: 0, crt: 0 })
    await discovering()
    expect(loaded).toEqual({ iot: 1, crt: 0 })
    fixed.close()
    discovering.close()
    jest.dontMock('@aws-sdk/client-iot')
    jest.dontMock('aws-crt')
    await iot.close()
  })
})
