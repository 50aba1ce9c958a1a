import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { pipe } from 'fp-ts/function'
import { withClientCache, type WithClientCacheOptions } from '../../lib/clients/withClientCache'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import type { ClientFactory, CredentialSource, RefreshingProvider } from '../../lib/types'
import { fakeSource } from '../support/fakeSource'
import { clientConfigFor } from '../support/stsFixture'

const HOUR = 3_600_000

describe('withClientCache (against the STS emulator)', () => {
  let sts: StsEmulator
  const factories: ClientFactory[] = []
  beforeEach(async () => {
    sts = await startStsEmulator()
  })
  afterEach(async () => {
    for (const f of factories.splice(0)) f.close()
    await sts.close()
  })

  const assumeRole = (): CredentialSource =>
    fromAssumeRole(
      { RoleArn: sts.roleArns[0]! },
      { source: async () => sts.baseCredentials, clientConfig: clientConfigFor(sts) },
    )
  const factory = (source: CredentialSource = assumeRole(), options: WithClientCacheOptions = {}): ClientFactory => {
    const clients = pipe(
      source,
      withRefresh(),
      withClientCache({ region: sts.region, defaults: { endpoint: sts.endpoint, maxAttempts: 1 }, ...options }),
    )
    factories.push(clients)
    return clients
  }
  const count = (action: string): number => sts.requests.filter((r) => r.action === action).length
  const callerIdentity = (clients: ClientFactory) => clients.client(STSClient).send(new GetCallerIdentityCommand({}))
  const keyOf = (p: RefreshingProvider): string => p.current()?.accessKeyId ?? 'none'

  it('destroys an evicted client only after its last request in flight settles', async () => {
    const clients = factory(assumeRole(), { maxSize: 1 })
    await callerIdentity(clients) // credentials cached: the next request goes straight to the delay
    const first = clients.client(STSClient)
    const destroy = jest.spyOn(first, 'destroy')
    sts.inject({ type: 'delay', ms: 300, action: 'GetCallerIdentity' })
    const inFlight = first.send(new GetCallerIdentityCommand({}))
    await new Promise((resolve) => setTimeout(resolve, 50)) // the request is on the wire
    clients.client(STSClient, { customUserAgent: 'other' }) // evicts `first`
    expect(clients.size).toBe(1)
    expect(destroy).not.toHaveBeenCalled()
    await expect(inFlight).resolves.toMatchObject({ Account: expect.any(String) }) // maxAttempts 1: no resend would save it
    expect(destroy).toHaveBeenCalledTimes(1)
  })

  it('destroys an evicted client at once when nothing is in flight', async () => {
    const clients = factory(assumeRole(), { maxSize: 1 })
    await callerIdentity(clients)
    const first = clients.client(STSClient)
    const destroy = jest.spyOn(first, 'destroy')
    clients.client(STSClient, { customUserAgent: 'other' })
    expect(destroy).toHaveBeenCalledTimes(1)
  })

  it('retries a request that failed with ExpiredToken for the current key once, after exactly one refresh', async () => {
    const clients = factory()
    await callerIdentity(clients)
    const expired = keyOf(clients.credentials)
    sts.inject({ type: 'expiredToken', accessKeyId: expired, action: 'GetCallerIdentity' })
    const out = await callerIdentity(clients)
    expect(out.Arn).toContain(':assumed-role/')
    expect(count('AssumeRole')).toBe(2)
    expect(keyOf(clients.credentials)).not.toBe(expired)
    const calls = sts.requests.filter((r) => r.action === 'GetCallerIdentity').slice(-2)
    expect(calls.map((r) => [r.accessKeyId === expired, r.errorCode])).toEqual([
      [true, 'ExpiredToken'],
      [false, undefined],
    ])
  })

  it('refreshes once for a burst of 20 concurrent ExpiredToken failures', async () => {
    const clients = factory()
    await callerIdentity(clients)
    sts.inject({ type: 'expiredToken', accessKeyId: keyOf(clients.credentials), count: Infinity })
    const outs = await Promise.all(Array.from({ length: 20 }, () => callerIdentity(clients)))
    expect(outs).toHaveLength(20)
    expect(count('AssumeRole')).toBe(2)
    expect(sts.requests.filter((r) => r.errorCode === 'ExpiredToken')).toHaveLength(20)
  })

  it('returns a second ExpiredToken failure as it is, after one refresh and one retry', async () => {
    const source = fakeSource(HOUR)
    const clients = factory(source)
    sts.inject({ type: 'expiredToken', accessKeyId: 'ASIAFAKE00000001' })
    sts.inject({ type: 'expiredToken', accessKeyId: 'ASIAFAKE00000002' })
    await expect(callerIdentity(clients)).rejects.toMatchObject({
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 403 },
    })
    expect(source.calls).toBe(2)
    expect(count('GetCallerIdentity')).toBe(2)
  })

  it('neither refreshes nor retries a request that failed with another error', async () => {
    const source = fakeSource(HOUR)
    const clients = factory(source)
    sts.inject({ type: 'status', status: 500 })
    await expect(callerIdentity(clients)).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } })
    expect(source.calls).toBe(1)
    expect(count('GetCallerIdentity')).toBe(1)
  })

  it('with recoverExpiredToken false, returns the ExpiredToken failure without refreshing', async () => {
    const source = fakeSource(HOUR)
    const clients = factory(source, { recoverExpiredToken: false })
    sts.inject({ type: 'expiredToken', accessKeyId: 'ASIAFAKE00000001' })
    await expect(callerIdentity(clients)).rejects.toMatchObject({ name: 'ExpiredToken' })
    expect(source.calls).toBe(1)
  })

  it('whoami() reports the assumed role, signed with the factory credentials, not the base user', async () => {
    const clients = factory()
    const me = await clients.whoami()
    expect(me).toEqual({
      Account: sts.accountId,
      Arn: expect.stringContaining(':assumed-role/emulator-role/'),
      UserId: expect.stringMatching(/^AROA/),
    })
    expect(me.Arn).not.toBe(sts.userArn)
    const request = sts.requests.find((r) => r.action === 'GetCallerIdentity')
    expect(request?.accessKeyId).toBe(keyOf(clients.credentials))
    expect(request?.accessKeyId).not.toBe(sts.baseCredentials.accessKeyId)
  })

  it('whoami() goes through the factory cached STSClient, built with its region and defaults', async () => {
    const clients = factory()
    await clients.whoami()
    await clients.whoami()
    expect(clients.size).toBe(1)
    const stsClient = clients.client(STSClient)
    expect(clients.size).toBe(1)
    expect(await stsClient.config.region()).toBe(sts.region)
    expect(count('GetCallerIdentity')).toBe(2)
  })

  it('whoami() maps an STS refusal to a CredentialError', async () => {
    const clients = factory()
    await clients.whoami()
    sts.inject({ type: 'throttle', action: 'GetCallerIdentity' })
    await expect(clients.whoami()).rejects.toMatchObject({ name: 'CredentialError', code: 'Throttled' })
  })

  it('never holds the internal STS client of fromAssumeRole: it signs with the base key and survives clear()', async () => {
    const source = assumeRole()
    const clients = factory(source)
    await clients.whoami()
    expect(clients.size).toBe(1)
    const own = clients.client(STSClient)
    expect(await own.config.credentials()).toMatchObject({ accessKeyId: keyOf(clients.credentials) })
    clients.clear()
    await clients.credentials({ forceRefresh: true })
    expect(sts.requests.filter((r) => r.action === 'AssumeRole').map((r) => r.accessKeyId)).toEqual([
      sts.baseCredentials.accessKeyId,
      sts.baseCredentials.accessKeyId,
    ])
    expect(clients.size).toBe(0)
  })

  it('shares one provider across N clients x M concurrent commands: one STS call per refresh', async () => {
    const clients = factory()
    const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2']
    const burst = () =>
      Promise.all(
        regions.flatMap((region) =>
          Array.from({ length: 10 }, () =>
            clients.client(STSClient, { region }).send(new GetCallerIdentityCommand({})),
          ),
        ),
      )
    await burst()
    expect(count('AssumeRole')).toBe(1)
    clients.credentials.invalidate()
    await burst()
    expect(count('AssumeRole')).toBe(2)
    sts.inject({ type: 'expiredToken', accessKeyId: keyOf(clients.credentials), count: Infinity })
    await burst()
    expect(count('AssumeRole')).toBe(3)
    expect(clients.size).toBe(regions.length)
  })
})
