import { S3Client } from '@aws-sdk/client-s3'
import { STSClient } from '@aws-sdk/client-sts'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { pipe } from 'fp-ts/function'
import { withClientCache } from '../../lib/clients/withClientCache'
import { RECOVERY_MIDDLEWARE } from '../../lib/clients/expiredTokenRecovery'
import { withRefresh } from '../../lib/refresh/withRefresh'
import type { ClientConfigOf, ClientFactory, RefreshingProvider } from '../../lib/types'
import { fakeSource } from '../support/fakeSource'

const HOUR = 3_600_000

describe('withClientCache', () => {
  const factories: ClientFactory[] = []
  const make = (
    options?: Parameters<typeof withClientCache>[0],
    provider: RefreshingProvider = withRefresh()(fakeSource(HOUR)),
  ): ClientFactory => {
    const clients = pipe(provider, withClientCache({ region: 'eu-west-1', ...options }))
    factories.push(clients)
    return clients
  }
  afterEach(() => {
    for (const f of factories.splice(0)) f.close()
  })

  describe('cache key', () => {
    it('returns the same instance for the same class and no config', () => {
      const clients = make()
      expect(clients.client(S3Client)).toBe(clients.client(S3Client))
      expect(clients.size).toBe(1)
    })

    it('returns the same instance for equal configs written in another key order', () => {
      const clients = make()
      const a = clients.client(S3Client, { region: 'us-east-1', maxAttempts: 3, forcePathStyle: true })
      expect(clients.client(S3Client, { forcePathStyle: true, maxAttempts: 3, region: 'us-east-1' })).toBe(a)
    })

    it('returns another instance for another class with an equal config', () => {
      const clients = make()
      expect(clients.client(S3Client)).not.toBe(clients.client(STSClient))
      expect(clients.size).toBe(2)
    })

    it('returns different clients for different regions, each signing for its region', async () => {
      const clients = make()
      const us = clients.client(S3Client, { region: 'us-east-1' })
      const eu = clients.client(S3Client, { region: 'eu-central-1' })
      expect(us).not.toBe(eu)
      expect(await us.config.region()).toBe('us-east-1')
      expect(await eu.config.region()).toBe('eu-central-1')
    })

    it('compares nested plain objects and arrays by content, in any key order', () => {
      const clients = make()
      const a = clients.client(S3Client, {
        requestHandler: { requestTimeout: 1_000, connectionTimeout: 500 },
        customUserAgent: [['app', '1.0']],
      })
      const b = clients.client(S3Client, {
        customUserAgent: [['app', '1.0']],
        requestHandler: { connectionTimeout: 500, requestTimeout: 1_000 },
      })
      const c = clients.client(S3Client, {
        customUserAgent: [['app', '1.0']],
        requestHandler: { connectionTimeout: 500, requestTimeout: 2_000 },
      })
      expect(b).toBe(a)
      expect(c).not.toBe(a)
    })

    it('compares functions by identity', () => {
      const clients = make()
      const endpoint = async () => ({ hostname: 'localhost', protocol: 'http:', path: '/' })
      const a = clients.client(S3Client, { endpoint })
      expect(clients.client(S3Client, { endpoint })).toBe(a)
      expect(
        clients.client(S3Client, { endpoint: async () => ({ hostname: 'localhost', protocol: 'http:', path: '/' }) }),
      ).not.toBe(a)
    })

    it('compares class instances such as a request handler by identity', () => {
      const clients = make()
      const handler = new NodeHttpHandler({ requestTimeout: 1_000 })
      const a = clients.client(S3Client, { requestHandler: handler })
      expect(clients.client(S3Client, { requestHandler: handler })).toBe(a)
      expect(clients.client(S3Client, { requestHandler: new NodeHttpHandler({ requestTimeout: 1_000 }) })).not.toBe(a)
    })

    it('treats a key holding undefined as a missing key, and never lets it erase the factory region', async () => {
      const clients = make()
      const a = clients.client(S3Client)
      // @ts-expect-error -- a JavaScript caller's explicit undefined values, which the types refuse
      expect(clients.client(S3Client, { region: undefined, maxAttempts: undefined })).toBe(a)
      expect(await a.config.region()).toBe('eu-west-1')
    })

    it('keys on the merged config: naming the factory region or a default explicitly is the same client', () => {
      const clients = make({ defaults: { maxAttempts: 2 } })
      expect(clients.client(S3Client, { region: 'eu-west-1', maxAttempts: 2 })).toBe(clients.client(S3Client))
    })

    it('is not fooled by a caller mutating its config after the call', () => {
      const clients = make()
      const config = { requestHandler: { requestTimeout: 1_000 } }
      const a = clients.client(S3Client, config)
      config.requestHandler.requestTimeout = 9_999
      expect(clients.client(S3Client, config)).not.toBe(a)
      expect(clients.client(S3Client, { requestHandler: { requestTimeout: 1_000 } })).toBe(a)
    })

    it('finds the client of an equal config given as a class instance, a null-prototype object or with a hidden key', () => {
      const clients = make()
      const a = clients.client(S3Client, { maxAttempts: 2 })
      class Config {
        readonly maxAttempts = 2
      }
      const bare = Object.assign(Object.create(null) as Record<string, unknown>, { maxAttempts: 2 })
      // Not enumerable: not copied into the merged config, so the factory region stays.
      const hidden = Object.defineProperty({ maxAttempts: 2 }, 'region', { value: 'us-east-1', enumerable: false })
      for (const config of [new Config(), bare, hidden, new Config(), bare, hidden])
        expect(clients.client(S3Client, config as ClientConfigOf<typeof S3Client>)).toBe(a)
      expect(clients.size).toBe(1)
    })
  })

  describe('client config', () => {
    it('gives every client the factory provider as credentials', async () => {
      const source = fakeSource(HOUR)
      const provider = withRefresh()(source)
      const clients = make({}, provider)
      const s3 = clients.client(S3Client)
      const sts = clients.client(STSClient, { region: 'us-east-1' })
      const [a, b] = await Promise.all([s3.config.credentials(), sts.config.credentials()])
      expect(a.accessKeyId).toBe(provider.current()?.accessKeyId)
      expect(b).toStrictEqual(a)
      expect(source.calls).toBe(1)
      expect(clients.credentials).toBe(provider)
    })

    it('merges defaults into every client, under the config of the call', async () => {
      const clients = make({ defaults: { maxAttempts: 7, forcePathStyle: true } })
      const a = clients.client(S3Client)
      const b = clients.client(S3Client, { maxAttempts: 2 })
      expect(await a.config.maxAttempts()).toBe(7)
      expect(await b.config.maxAttempts()).toBe(2)
      expect(b.config.forcePathStyle).toBe(true)
    })

    it('keeps the region option when defaults hold region: undefined', async () => {
      const clients = make({ region: 'eu-north-1', defaults: { region: undefined, maxAttempts: 2 } })
      expect(await clients.client(S3Client).config.region()).toBe('eu-north-1')
    })

    it('throws InvalidConfiguration at once for a config holding credentials', () => {
      const clients = make()
      const config = { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } } as unknown as ClientConfigOf<
        typeof S3Client
      >
      expect(() => clients.client(S3Client, config)).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration', source: 'withClientCache' }),
      )
      expect(clients.size).toBe(0)
    })

    it('throws InvalidConfiguration for a credentials key even when it is undefined and an equal config is cached', () => {
      const clients = make()
      clients.client(S3Client, { maxAttempts: 2 })
      const config = { maxAttempts: 2, credentials: undefined } as unknown as ClientConfigOf<typeof S3Client>
      expect(() => clients.client(S3Client, config)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
    })

    it('throws InvalidConfiguration at construction for defaults holding credentials', () => {
      expect(() => withClientCache({ defaults: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } } })).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration' }),
      )
    })

    it('adds the expired-token recovery middleware to every client unless recoverExpiredToken is false', () => {
      const on = make().client(S3Client)
      const off = make({ recoverExpiredToken: false }).client(S3Client)
      expect(on.middlewareStack.identify().join()).toContain(RECOVERY_MIDDLEWARE)
      expect(off.middlewareStack.identify().join()).not.toContain(RECOVERY_MIDDLEWARE)
    })

    it('wraps a client constructor failure as InvalidConfiguration with the cause', () => {
      const boom = new Error('bad')
      const Broken = function Broken() {
        throw boom
      } as unknown as typeof S3Client
      expect(() => make().client(Broken)).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration', cause: boom }),
      )
    })
    it('rejects a class that is not an SDK v3 client with InvalidConfiguration', () => {
      const NotAClient = function NotAClient() {
        return {}
      } as unknown as typeof S3Client
      expect(() => make().client(NotAClient)).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining('NotAClient') }),
      )
    })
  })

  describe('eviction', () => {
    it('evicts the least recently used client past maxSize and destroys it', () => {
      const clients = make({ maxSize: 2 })
      const a = clients.client(S3Client, { region: 'us-east-1' })
      const b = clients.client(S3Client, { region: 'us-east-2' })
      const [destroyA, destroyB] = [jest.spyOn(a, 'destroy'), jest.spyOn(b, 'destroy')]
      expect(clients.client(S3Client, { region: 'us-east-1' })).toBe(a) // a is now the most recently used
      const c = clients.client(S3Client, { region: 'us-west-1' })
      expect(destroyB).toHaveBeenCalledTimes(1)
      expect(destroyA).not.toHaveBeenCalled()
      expect(clients.size).toBe(2)
      expect(clients.client(S3Client, { region: 'us-east-1' })).toBe(a)
      expect(clients.client(S3Client, { region: 'us-west-1' })).toBe(c)
      expect(clients.client(S3Client, { region: 'us-east-2' })).not.toBe(b)
      expect(destroyA).toHaveBeenCalledTimes(1) // a was the least recently used when b came back
    })

    it('keeps working when an evicted client throws from destroy()', () => {
      const clients = make({ maxSize: 1 })
      const a = clients.client(S3Client, { region: 'us-east-1' })
      jest.spyOn(a, 'destroy').mockImplementation(() => {
        throw new Error('destroy failed')
      })
      expect(() => clients.client(S3Client, { region: 'us-east-2' })).not.toThrow()
      expect(clients.size).toBe(1)
    })
  })

  describe('clear and close', () => {
    it('clear() destroys every cached client and leaves the factory usable', () => {
      const clients = make()
      const a = clients.client(S3Client)
      const b = clients.client(STSClient)
      const spies = [jest.spyOn(a, 'destroy'), jest.spyOn(b, 'destroy')]
      clients.clear()
      spies.forEach((s) => expect(s).toHaveBeenCalledTimes(1))
      expect(clients.size).toBe(0)
      expect(clients.client(S3Client)).not.toBe(a)
    })

    it('close() destroys every client and closes the provider; client() then throws Closed', async () => {
      const provider = withRefresh()(fakeSource(HOUR))
      const close = jest.spyOn(provider, 'close')
      const clients = make({}, provider)
      const destroy = jest.spyOn(clients.client(S3Client), 'destroy')
      clients.close()
      clients.close()
      expect(destroy).toHaveBeenCalledTimes(1)
      expect(close).toHaveBeenCalledTimes(1)
      expect(() => clients.client(S3Client)).toThrow(expect.objectContaining({ code: 'Closed' }))
      await expect(clients.whoami()).rejects.toMatchObject({ code: 'Closed' })
    })
  })

  describe('options', () => {
    it.each([
      ['maxSize', { maxSize: 0 }],
      ['maxSize', { maxSize: 1.5 }],
      ['maxSize', { maxSize: Infinity }],
      ['region', { region: '' }],
      ['recoverExpiredToken', { recoverExpiredToken: 'yes' }],
      ['defaults', { defaults: [] }],
      ['region', { region: 'eu-west-1', defaults: { region: 'us-east-1' } }],
    ])('rejects an invalid %s at construction with InvalidConfiguration naming it', (name, options) => {
      expect(() => withClientCache(options as never)).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining(name) }),
      )
    })

    it('rejects a provider that is not a withRefresh provider with InvalidConfiguration', () => {
      expect(() => withClientCache()(fakeSource(HOUR) as never)).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration' }),
      )
    })
  })

  describe('types', () => {
    it('infers the client type and its config type from the class', () => {
      const clients = make()
      const s3: S3Client = clients.client(S3Client, { forcePathStyle: true })
      // @ts-expect-error -- S3 config has no such key
      clients.client(S3Client, { notAnOption: true })
      // @ts-expect-error -- the factory supplies the credentials
      expect(() => clients.client(STSClient, { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })).toThrow()
      const forLibrary = (config?: ClientConfigOf<typeof S3Client>): S3Client => clients.client(S3Client, config)
      expect(forLibrary({ forcePathStyle: true })).toBe(s3)
    })
  })
})
