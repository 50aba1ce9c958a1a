import { expiredTokenRecovery, signedKeyId } from '../../lib/clients/expiredTokenRecovery'
import { isExpiredToken } from '../../lib/internal/isTransient'
import type { RefreshingProvider } from '../../lib/types'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fakeSource } from '../support/fakeSource'

const HOUR = 3_600_000

// The errors the plugin recovers from.
describe('isExpiredToken', () => {
  it.each(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired'])(
    'recognises %s by name, Code or code',
    (code) => {
      expect(isExpiredToken(Object.assign(new Error('x'), { name: code }))).toBe(true)
      expect(isExpiredToken({ Code: code })).toBe(true)
      expect(isExpiredToken({ code })).toBe(true)
    },
  )

  it('does not recognise other errors', () => {
    expect(isExpiredToken(Object.assign(new Error('x'), { name: 'AccessDenied' }))).toBe(false)
    expect(isExpiredToken(undefined)).toBe(false)
    expect(isExpiredToken('ExpiredToken')).toBe(false)
  })
})

describe('signedKeyId', () => {
  it('reads the access key id from a SigV4 Authorization header', () => {
    const auth =
      'AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE123/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abc'
    expect(signedKeyId({ headers: { authorization: auth } })).toBe('ASIAEXAMPLE123')
  })

  it('returns undefined for an unsigned request', () => {
    expect(signedKeyId({ headers: {} })).toBeUndefined()
    expect(signedKeyId(undefined)).toBeUndefined()
  })
})

describe('expiredTokenRecovery', () => {
  type Handler = (args: Record<PropertyKey, unknown>) => Promise<unknown>
  type Mw = (next: Handler, context: object) => Handler
  const AUTH = (key: string) => ({
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x`,
    },
  })
  const expired = () => Object.assign(new Error('expired'), { name: 'ExpiredToken' })

  /** A stack of the plugin's two middlewares around a terminal handler answering `answers` in turn. */
  const stack = (
    provider: RefreshingProvider,
    answers: (() => unknown)[],
    signedWith: (attempt: number) => unknown,
  ) => {
    const added: { mw: Mw; step: string }[] = []
    expiredTokenRecovery(provider).applyToStack({
      add: (mw: unknown, o: unknown) => void added.push({ mw: mw as Mw, step: (o as { step: string }).step }),
    } as never)
    let attempt = 0
    const terminal: Handler = async () => answers[attempt++]!()
    const context = {}
    const recorder = added.find((a) => a.step === 'deserialize')!.mw(terminal, context)
    // What sits between the two: the SDK serializing and signing each attempt, passing args on by spreading.
    const signing: Handler = (args) => recorder({ ...args, request: signedWith(attempt) })
    return added.find((a) => a.step === 'initialize')!.mw(signing, context)
  }
  const provider = () => {
    const source = fakeSource(HOUR)
    return { source, provider: withRefresh()(source) }
  }

  it('adds its middlewares at initialize (so the retry is signed again) and at deserialize', () => {
    const steps: string[] = []
    const { provider: p } = provider()
    expiredTokenRecovery(p).applyToStack({
      add: (_: unknown, o: unknown) => void steps.push((o as { step: string }).step),
    } as never)
    expect(steps).toEqual(['initialize', 'deserialize'])
  })

  it('refreshes once for the key that signed the failed request, then retries once', async () => {
    const { source, provider: p } = provider()
    const { accessKeyId } = await p()
    const handler = stack(p, [() => Promise.reject(expired()), () => 'ok'], () => AUTH(accessKeyId))
    await expect(handler({})).resolves.toBe('ok')
    expect(source.calls).toBe(2)
    p.close()
  })

  it('forces one refresh for a burst of requests failing with the current key', async () => {
    const { source, provider: p } = provider()
    const { accessKeyId } = await p()
    const handlers = Array.from({ length: 20 }, () =>
      stack(p, [() => Promise.reject(expired()), () => 'ok'], () => AUTH(accessKeyId)),
    )
    await expect(Promise.all(handlers.map((h) => h({})))).resolves.toEqual(Array(20).fill('ok'))
    expect(source.calls).toBe(2)
    expect(p.current()?.accessKeyId).not.toBe(accessKeyId)
    p.close()
  })

  it('retries without refreshing again when the provider has already replaced the failed key', async () => {
    const { source, provider: p } = provider()
    const old = await p()
    await p({ forceRefresh: true })
    const handler = stack(p, [() => Promise.reject(expired()), () => 'ok'], () => AUTH(old.accessKeyId))
    await expect(handler({})).resolves.toBe('ok')
    expect(source.calls).toBe(2)
    p.close()
  })

  it('rejects with the refresh failure when the forced refresh fails', async () => {
    const { source, provider: p } = provider()
    const { accessKeyId } = await p()
    source.failWith(new Error('down'))
    const handler = stack(p, [() => Promise.reject(expired()), () => 'ok'], () => AUTH(accessKeyId))
    await expect(handler({})).rejects.toMatchObject({ code: 'SourceFailed' })
    p.close()
  })

  it('returns a second failure as it is', async () => {
    const { source, provider: p } = provider()
    const { accessKeyId } = await p()
    const second = expired()
    const handler = stack(p, [() => Promise.reject(expired()), () => Promise.reject(second)], () => AUTH(accessKeyId))
    await expect(handler({})).rejects.toBe(second)
    expect(source.calls).toBe(2)
    p.close()
  })

  it('does not retry an unsigned request, nor another error', async () => {
    const { source, provider: p } = provider()
    await p()
    await expect(stack(p, [() => Promise.reject(expired())], () => ({ headers: {} }))({})).rejects.toMatchObject({
      name: 'ExpiredToken',
    })
    await expect(stack(p, [() => Promise.reject(new Error('other'))], () => AUTH('ASIAKEY'))({})).rejects.toThrow(
      'other',
    )
    expect(source.calls).toBe(1)
    p.close()
  })

  it('rejects a provider that is not a refreshing provider at once', () => {
    expect(() => expiredTokenRecovery((async () => ({})) as never)).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration' }),
    )
  })
})
