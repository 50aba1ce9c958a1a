import { fromSessionToken } from '../../lib/sources/fromSessionToken'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { clientConfigFor, codeAt } from '../support/stsFixture'

describe('fromSessionToken', () => {
  let sts: StsEmulator
  const closers: (() => void)[] = []
  beforeEach(async () => {
    sts = await startStsEmulator()
  })
  afterEach(async () => {
    for (const close of closers.splice(0)) close()
    await sts.close()
  })
  const make = (params: Parameters<typeof fromSessionToken>[0] = {}) => {
    const source = fromSessionToken(params, {
      source: async () => sts.baseCredentials,
      clientConfig: clientConfigFor(sts),
    })
    closers.push(source.close)
    return source
  }

  it('accepts DurationSeconds up to 129600 and rejects more at construction with InvalidConfiguration', () => {
    expect(() => make({ DurationSeconds: 129_600 })).not.toThrow()
    expect(() => fromSessionToken({ DurationSeconds: 129_601 })).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining('DurationSeconds') }),
    )
    expect(() => fromSessionToken({ SerialNumber: 'x' })).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining('SerialNumber') }),
    )
  })

  it.each([
    ['params', null, undefined],
    ['params', 'serial', undefined],
    ['options', {}, null],
    ['options.region', {}, { region: '' }],
    ['options.source', {}, { source: 'profile' }],
    ['options.clientConfig', {}, { clientConfig: [] }],
    ['options.timeoutMs', {}, { timeoutMs: 0 }],
  ])('rejects a bad %s at construction with InvalidConfiguration naming it', (name, params, options) => {
    expect(() => fromSessionToken(params as never, options as never)).toThrow(
      expect.objectContaining({
        code: 'InvalidConfiguration',
        source: 'fromSessionToken',
        message: expect.stringContaining(name),
      }),
    )
  })

  it('calls GetSessionToken with every parameter and returns credentials with a Date expiration', async () => {
    const tokenCode = codeAt(sts, Date.now())
    const creds = await make({ SerialNumber: sts.mfa.serialNumber, DurationSeconds: 1800 })({
      mfa: { serialNumber: sts.mfa.serialNumber, tokenCode },
    })
    expect(sts.requests[0]).toMatchObject({
      action: 'GetSessionToken',
      params: { DurationSeconds: '1800', SerialNumber: sts.mfa.serialNumber, TokenCode: tokenCode },
    })
    expect(creds.expiration).toBeInstanceOf(Date)
    expect(creds.sessionToken).toEqual(expect.any(String))
  })

  it('is MFA-capable with SerialNumber as mfaSerialNumber and fails with MfaRequired without a code', async () => {
    const source = make({ SerialNumber: sts.mfa.serialNumber })
    expect(source.mfaSerialNumber).toBe(sts.mfa.serialNumber)
    await expect(source()).rejects.toMatchObject({ code: 'MfaRequired', source: 'fromSessionToken' })
    expect(sts.requests).toHaveLength(0)
  })

  it('maps a wrong MFA code to MfaCodeInvalid', async () => {
    const wrong = String((Number(codeAt(sts, Date.now())) + 500_000) % 1_000_000).padStart(6, '0')
    await expect(
      make({ SerialNumber: sts.mfa.serialNumber })({ mfa: { serialNumber: sts.mfa.serialNumber, tokenCode: wrong } }),
    ).rejects.toMatchObject({
      code: 'MfaCodeInvalid',
      statusCode: 403,
    })
  })
})
