import { CredentialsProviderError, ProviderError, chain } from '@smithy/property-provider'
import { CredentialError, isCredentialError } from '../lib/errors'

describe('CredentialError', () => {
  it('is an instance of itself, of smithy\'s CredentialsProviderError and of Error', () => {
    const e = new CredentialError('bad', { code: 'Timeout', source: 'fromX' })
    expect(e).toBeInstanceOf(CredentialError)
    expect(e).toBeInstanceOf(CredentialsProviderError)
    expect(e).toBeInstanceOf(ProviderError)
    expect(e).toBeInstanceOf(Error)
    expect(e).toMatchObject({ name: 'CredentialError', code: 'Timeout', source: 'fromX', tryNextLink: false, retryable: false })
  })

  it('carries the standard cause', () => {
    const cause = new Error('root')
    expect(new CredentialError('bad', { code: 'SourceFailed', source: 's', cause }).cause).toBe(cause)
  })

  it('stops smithy\'s chain() instead of falling through to the next link', async () => {
    const next = jest.fn(async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }))
    const failing = async (): Promise<never> => { throw new CredentialError('denied', { code: 'StsRejected', source: 's' }) }
    await expect(chain(failing, next)()).rejects.toMatchObject({ code: 'StsRejected' })
    expect(next).not.toHaveBeenCalled()
  })
})

describe('isCredentialError', () => {
  it('recognises one made by another copy of the package by name and code', () => {
    const foreign = Object.assign(new Error('from another copy'), { name: 'CredentialError', code: 'Timeout' })
    expect(isCredentialError(foreign)).toBe(true)
    expect(isCredentialError(foreign, 'Timeout')).toBe(true)
    expect(isCredentialError(foreign, 'Expired')).toBe(false)
  })

  it('rejects other errors and non-errors', () => {
    expect(isCredentialError(new Error('x'))).toBe(false)
    expect(isCredentialError(new CredentialsProviderError('x'))).toBe(false)
    expect(isCredentialError({ name: 'CredentialError', code: 'Timeout' })).toBe(false)
    expect(isCredentialError(undefined)).toBe(false)
  })
})
