import { CredentialError, originalCause } from '../../lib/errors'
import { fromCallable } from '../../lib/sources/fromCallable'

const NOW = Date.parse('2026-01-01T00:00:00Z')
const now = (): number => NOW
const SECRET = 'CANARYsecretAccessKey0000000000000000000'
const TOKEN = 'CANARYsessionToken'
const base = { accessKeyId: 'ASIACALLABLE', secretAccessKey: SECRET, sessionToken: TOKEN }

const failure = async (result: unknown): Promise<CredentialError> => {
  const source = fromCallable(() => result as never, { now })
  const error = await source().catch((e: unknown) => e)
  expect(error).toBeInstanceOf(CredentialError)
  const e = error as CredentialError
  expect(e.message).not.toContain(SECRET)
  expect(e.message).not.toContain(TOKEN)
  return e
}

describe('fromCallable', () => {
  it('calls the function on every call and passes the context through', async () => {
    const fn = jest.fn(async () => base)
    const source = fromCallable(fn, { now })
    await source({ forceRefresh: true })
    await source()
    expect(fn).toHaveBeenCalledTimes(2)
    expect(fn).toHaveBeenNthCalledWith(1, { forceRefresh: true })
  })

  it('accepts a synchronous result and keeps accountId and credentialScope', async () => {
    const source = fromCallable(() => ({ ...base, accountId: '123456789012', credentialScope: 'scope' }), { now })
    await expect(source()).resolves.toEqual({ ...base, accountId: '123456789012', credentialScope: 'scope' })
  })

  it.each([
    ['a Date', new Date(NOW + 60_000)],
    ['an ISO string with Z', '2026-01-01T00:01:00Z'],
    ['an ISO string with an offset', '2026-01-01T01:01:00+01:00'],
    ['an ISO string with fractional seconds', '2026-01-01T00:01:00.000Z'],
    ['epoch milliseconds', NOW + 60_000],
  ])('accepts expiration as %s and returns it as a Date', async (_, expiration) => {
    const creds = await fromCallable(() => ({ ...base, expiration }), { now })()
    expect(creds.expiration).toEqual(new Date(NOW + 60_000))
  })

  it.each([
    ['an ISO string without a zone', '2026-01-01T00:01:00', /with a zone/],
    ['a date-only string', '2026-01-02', /with a zone/],
    ['an invalid Date', new Date(Number.NaN), /invalid Date/],
    ['epoch seconds', Math.floor(NOW / 1000) + 60, /epoch seconds/],
    ['a negative number', -5, /positive/],
    ['NaN', Number.NaN, /positive/],
    ['a boolean', true, /got boolean/],
  ])('rejects expiration as %s with InvalidCredentials naming the field', async (_, expiration, message) => {
    const e = await failure({ ...base, expiration })
    expect(e).toMatchObject({ code: 'InvalidCredentials', source: 'fromCallable' })
    expect(e.message).toMatch(/expiration/)
    expect(e.message).toMatch(message)
  })

  it('rejects an already-expired result', async () => {
    const e = await failure({ ...base, expiration: new Date(NOW) })
    expect(e).toMatchObject({ code: 'InvalidCredentials' })
    expect(e.message).toMatch(/already in the past/)
  })

  it.each([
    ['accessKeyId missing', { secretAccessKey: SECRET }, /accessKeyId/],
    [
      'accessKeyId empty',
      { ...base, accessKeyId: '' },
      /accessKeyId must be a non-empty string \(got an empty string\)/,
    ],
    [
      'secretAccessKey missing',
      { accessKeyId: 'AKIA' },
      /secretAccessKey must be a non-empty string \(got undefined\)/,
    ],
    ['secretAccessKey a number', { ...base, secretAccessKey: 42 }, /secretAccessKey.*got number/],
    ['sessionToken not a string', { ...base, sessionToken: { value: TOKEN } }, /sessionToken.*got object/],
    ['accountId not a string', { ...base, accountId: 123 }, /accountId/],
  ])('rejects a result with %s, naming the field and not echoing secrets', async (_, result, message) => {
    const e = await failure(result)
    expect(e).toMatchObject({ code: 'InvalidCredentials' })
    expect(e.message).toMatch(message)
  })

  it.each([[null], [undefined], ['AKIA:secret'], [[base]]])(
    'rejects a result that is not an object (%p)',
    async (result) => {
      const e = await failure(result)
      expect(e).toMatchObject({ code: 'InvalidCredentials' })
      expect(e.message).toMatch(/must be an object/)
    },
  )

  it('wraps what the function throws as SourceFailed with the cause, masking secrets in the message', async () => {
    const cause = new Error(`vault said no for ${SECRET}`)
    const e = await fromCallable(
      () => {
        throw cause
      },
      { now },
    )().catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'SourceFailed', source: 'fromCallable', cause: { name: 'Error' } })
    expect(originalCause(e as CredentialError)).toBe(cause)
    expect((e as Error).message).not.toContain(SECRET)
    expect((e as Error).message).toMatch(/^fromCallable: Error: vault said no for \S/)
  })

  it('passes a CredentialError thrown by the function through unchanged', async () => {
    const thrown = new CredentialError('nope', { code: 'StsRejected', source: 'mine' })
    await expect(
      fromCallable(
        async () => {
          throw thrown
        },
        { now },
      )(),
    ).rejects.toBe(thrown)
  })

  it('throws InvalidConfiguration at construction when fn is not a function', () => {
    expect(() => fromCallable('creds' as never)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
  })
})
