import { createRecovery, isExpiredTokenError, signedKeyId } from '../../lib/clients/expiredTokenRecovery'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fakeSource } from '../support/fakeSource'

const HOUR = 3_600_000

describe('isExpiredTokenError', () => {
  it.each(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'])('recognises %s by name, Code or code', (code) => {
    expect(isExpiredTokenError(Object.assign(new Error('x'), { name: code }))).toBe(true)
    expect(isExpiredTokenError({ Code: code })).toBe(true)
    expect(isExpiredTokenError({ code })).toBe(true)
  })

  it('does not recognise other errors', () => {
    expect(isExpiredTokenError(Object.assign(new Error('x'), { name: 'AccessDenied' }))).toBe(false)
    expect(isExpiredTokenError(undefined)).toBe(false)
    expect(isExpiredTokenError('ExpiredToken')).toBe(false)
  })
})

describe('signedKeyId', () => {
  it('reads the access key id from a SigV4 Authorization header', () => {
    const auth = 'AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE123/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abc'
    expect(signedKeyId({ headers: { authorization: auth } })).toBe('ASIAEXAMPLE123')
  })

  it('returns undefined for an unsigned request', () => {
    expect(signedKeyId({ headers: {} })).toBeUndefined()
    expect(signedKeyId(undefined)).toBeUndefined()
  })
})

describe('createRecovery', () => {
  it('forces one refresh when the failed key is the current one, and a burst shares it', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh()(source)
    const { accessKeyId } = await provider()
    const recover = createRecovery(provider)
    await Promise.all(Array.from({ length: 20 }, () => recover(accessKeyId)))
    expect(source.calls).toBe(2)
    expect(provider.current()?.accessKeyId).not.toBe(accessKeyId)
    provider.close()
  })

  it('does not refresh again for a key the provider has already replaced', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh()(source)
    const old = await provider()
    await provider({ forceRefresh: true })
    await createRecovery(provider)(old.accessKeyId)
    expect(source.calls).toBe(2)
    provider.close()
  })

  it('rejects with the refresh failure when the forced refresh fails', async () => {
    const source = fakeSource(HOUR)
    const provider = withRefresh()(source)
    const { accessKeyId } = await provider()
    source.failWith(new Error('down'))
    await expect(createRecovery(provider)(accessKeyId)).rejects.toMatchObject({ code: 'SourceFailed' })
    provider.close()
  })
})
