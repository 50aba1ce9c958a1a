import { CredentialsProviderError, ProviderError, chain } from '@smithy/property-provider'
import { inspect } from 'node:util'
import { CredentialError, isCredentialError, originalCause } from '../lib/errors'
import { fromCallable } from '../lib/sources/fromCallable'
import { withRefresh } from '../lib/refresh/withRefresh'
import type { RefreshEvent } from '../lib/refresh/RefreshEvent'
import { canarySecretAccessKey, findCanary } from './support/canaries'

describe('CredentialError', () => {
  it("is an instance of itself, of smithy's CredentialsProviderError and of Error", () => {
    const e = new CredentialError('bad', { code: 'Timeout', source: 'fromX' })
    expect(e).toBeInstanceOf(CredentialError)
    expect(e).toBeInstanceOf(CredentialsProviderError)
    expect(e).toBeInstanceOf(ProviderError)
    expect(e).toBeInstanceOf(Error)
    expect(e).toMatchObject({
      name: 'CredentialError',
      code: 'Timeout',
      source: 'fromX',
      tryNextLink: false,
      retryable: false,
    })
  })

  it('carries the standard cause as a redacted copy, and the original behind originalCause()', () => {
    const cause = Object.assign(new Error('root'), { code: 'ECONNRESET' })
    const e = new CredentialError('bad', { code: 'SourceFailed', source: 's', cause })
    expect(e.cause).toMatchObject({ name: 'Error', message: 'root', code: 'ECONNRESET' })
    expect(e.cause).not.toBe(cause)
    expect(originalCause(e)).toBe(cause)
    expect(Object.keys(e)).not.toContain('cause')
  })

  it("stops smithy's chain() instead of falling through to the next link", async () => {
    const next = jest.fn(async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }))
    const failing = async (): Promise<never> => {
      throw new CredentialError('denied', { code: 'StsRejected', source: 's' })
    }
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

describe('CredentialError causes', () => {
  const deep = (text: string): string => inspect(text, { depth: Infinity })
  const printed = (e: unknown): string =>
    `${inspect(e, { depth: Infinity })}${JSON.stringify(e)}${String((e as Error).stack)}`

  it('prints no secret of a wrapped SDK error: its message, $response body and nested causes are redacted', () => {
    const secret = canarySecretAccessKey()
    const token = `IQoJb3JpZ2luX2VjE${secret}`
    const root = Object.assign(new Error(`socket said ${secret}`), { code: 'ECONNRESET', secretAccessKey: secret })
    const sdk = Object.assign(
      new Error(`The request signature we calculated does not match. x-amz-security-token:${token}`, { cause: root }),
      {
        name: 'SignatureDoesNotMatch',
        $fault: 'client',
        $metadata: { httpStatusCode: 403, requestId: 'req-1', cfId: secret },
        $response: {
          statusCode: 403,
          body: `<Error><Message>x-amz-security-token:${token}</Message></Error>`,
          headers: { 'x-amz-security-token': token },
        },
        request: { headers: { authorization: `AWS4 ${secret}` } },
      },
    )
    const e = new CredentialError('fromAssumeRole: STS refused', {
      code: 'StsRejected',
      source: 'fromAssumeRole',
      cause: sdk,
    })
    expect(findCanary(printed(e))).toBeUndefined()
    expect(findCanary(deep(printed(e)))).toBeUndefined()
    expect(e.cause).toMatchObject({
      name: 'SignatureDoesNotMatch',
      $fault: 'client',
      $metadata: { httpStatusCode: 403, requestId: 'req-1' },
    })
    expect((e.cause as { cause?: unknown }).cause).toMatchObject({ code: 'ECONNRESET' })
    expect(originalCause(e)).toBe(sdk)
  })

  it('prints no secret of a fromCallable function error or of the refresh-failed event carrying it', async () => {
    const secret = canarySecretAccessKey()
    const events: RefreshEvent[] = []
    const provider = withRefresh({ onEvent: (event) => events.push(event), background: false })(
      fromCallable(() => {
        throw new TypeError(`cannot use key ${secret}`, { cause: { secretAccessKey: secret } })
      }),
    )
    const error = await provider().catch((x: unknown) => x)
    expect(error).toMatchObject({ code: 'SourceFailed' })
    expect(findCanary(printed(error))).toBeUndefined()
    const failed = events.find((event) => event.type === 'refresh-failed')
    expect(failed).toBeDefined()
    expect(findCanary(inspect(failed, { depth: Infinity }))).toBeUndefined()
  })

  it('survives causes that throw on access, Proxies and non-errors', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap')
        },
      },
    )
    const getter = Object.defineProperty(new Error('x'), 'cause', {
      get: () => {
        throw new Error('getter')
      },
    })
    for (const cause of [hostile, getter, 'a plain string', 42, Symbol('s'), { nested: { deeper: true } }]) {
      const e = new CredentialError('bad', { code: 'SourceFailed', source: 's', cause })
      expect(() => inspect(e, { depth: Infinity })).not.toThrow()
      expect(e.cause).toBeInstanceOf(Error)
    }
  })
})
