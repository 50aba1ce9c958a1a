import { CredentialError } from '../../../lib/errors'
import { networkError } from '../../../lib/sources/x509/networkError'

const context = { source: 'src', where: 'host:443', tlsHint: 'check ca' }

describe('networkError', () => {
  it.each([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'INVALID_CA',
    'ERR_SSL_WRONG_VERSION_NUMBER',
  ])('%s is a TlsError, not retryable', (code) => {
    const e = networkError(Object.assign(new Error('x'), { code }), context)
    expect(e).toMatchObject({ code: 'TlsError', source: 'src', retryable: false })
    expect(e.message).toMatch(/^src: TLS with host:443 failed: .*; check ca$/)
  })

  it('a socket error is a retryable NetworkError; a CredentialError passes as is; null does not throw', () => {
    expect(networkError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), context)).toMatchObject({
      code: 'NetworkError',
      retryable: true,
      message: 'src: cannot reach host:443: ECONNREFUSED (refused)',
    })
    const own = new CredentialError('mine', { code: 'Timeout', source: 'src' })
    expect(networkError(own, context)).toBe(own)
    expect(networkError(null, context)).toMatchObject({ code: 'NetworkError' })
  })
})
