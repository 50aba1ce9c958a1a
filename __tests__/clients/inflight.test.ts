import { PassThrough } from 'node:stream'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { pipe } from 'fp-ts/function'
import { trackInflight } from '../../lib/clients/inflight'
import { withClientCache } from '../../lib/clients/withClientCache'
import { withRolePool } from '../../lib/clients/withRolePool'
import { withRefresh } from '../../lib/refresh/withRefresh'
import type { SdkClient } from '../../lib/types'
import { fakeSource } from '../support/fakeSource'
import { fakeStsHandler, roleArn } from '../support/fakeStsHandler'

const HOUR = 3_600_000

/** An HTTP handler answering every request with 200 and a streaming body the test writes. */
const streamingHandler = () => {
  const bodies: PassThrough[] = []
  return {
    bodies,
    handler: {
      handle: async () => {
        const body = new PassThrough()
        bodies.push(body)
        return { response: { statusCode: 200, headers: { 'content-type': 'text/plain' }, body } }
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
      destroy: () => undefined,
    },
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r))
}
const get = new GetObjectCommand({ Bucket: 'b', Key: 'k' })

describe('trackInflight', () => {
  it('destroys an evicted client only once the body of its streaming response has been read to the end', async () => {
    const s = streamingHandler()
    const clients = pipe(withRefresh()(fakeSource(HOUR)), withClientCache({ region: 'us-east-1', maxSize: 1 }))
    const s3 = clients.client(S3Client, { requestHandler: s.handler, maxAttempts: 1 })
    const destroy = jest.spyOn(s3, 'destroy')
    const { Body } = await s3.send(get)
    clients.client(S3Client, { region: 'eu-west-1' }) // evicts s3 while its body streams
    await settle()
    expect(destroy).not.toHaveBeenCalled()
    const text = Body!.transformToString()
    s.bodies[0]!.end('hello')
    expect(await text).toBe('hello')
    await settle()
    expect(destroy).toHaveBeenCalledTimes(1)
    clients.close()
  })

  it('counts a body as done when its reader destroys it or it errors', async () => {
    const s = streamingHandler()
    const clients = pipe(withRefresh()(fakeSource(HOUR)), withClientCache({ region: 'us-east-1', maxSize: 1 }))
    const s3 = clients.client(S3Client, { requestHandler: s.handler, maxAttempts: 1 })
    const destroy = jest.spyOn(s3, 'destroy')
    const [a, b] = await Promise.all([s3.send(get), s3.send(get)])
    clients.client(S3Client, { region: 'eu-west-1' })
    ;(a.Body as unknown as PassThrough).destroy()
    await settle()
    expect(destroy).not.toHaveBeenCalled() // b still streams
    const failed = b.Body!.transformToString()
    s.bodies[1]!.destroy(new Error('connection reset'))
    await expect(failed).rejects.toThrow('connection reset')
    await settle()
    expect(destroy).toHaveBeenCalledTimes(1)
    clients.close()
  })

  it('destroys an evicted client whose body nobody reads after the grace period', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] })
    try {
      let middleware!: (next: () => Promise<unknown>) => () => Promise<unknown>
      const client = {
        middlewareStack: { add: (m: typeof middleware) => void (middleware = m) },
        destroy: jest.fn(),
      } as unknown as SdkClient & { destroy: jest.Mock }
      const evict = trackInflight(client, 1_000)
      const body = new PassThrough()
      await middleware(async () => ({ response: { body }, output: { Body: body } }))()
      evict()
      jest.advanceTimersByTime(999)
      expect(client.destroy).not.toHaveBeenCalled()
      jest.advanceTimersByTime(1)
      expect(client.destroy).toHaveBeenCalledTimes(1)
      body.end()
      body.resume()
      await settle()
      expect(client.destroy).toHaveBeenCalledTimes(1) // once, even when the body ends later
    } finally {
      jest.useRealTimers()
    }
  })
  it('the grace timer never keeps the process alive, and goes once the body is done', async () => {
    const refTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    let middleware!: (next: () => Promise<unknown>) => () => Promise<unknown>
    const client = {
      middlewareStack: { add: (m: typeof middleware) => void (middleware = m) },
      destroy: jest.fn(),
    } as unknown as SdkClient & { destroy: jest.Mock }
    const evict = trackInflight(client)
    const body = new PassThrough()
    await middleware(async () => ({ response: { body }, output: {} }))()
    const before = refTimers()
    evict()
    expect(refTimers()).toBe(before)
    body.resume()
    body.end()
    await settle()
    expect(client.destroy).toHaveBeenCalledTimes(1)
  })
})

describe('withRolePool', () => {
  it("closes an evicted role's clients only once their streaming bodies are done", async () => {
    const sts = fakeStsHandler()
    const s = streamingHandler()
    const base = async () => ({ accessKeyId: 'AKIABASE', secretAccessKey: 'base-secret' })
    const pool = pipe(
      base,
      withRolePool({
        maxSize: 1,
        clientConfig: { region: 'us-east-1', maxAttempts: 1, requestHandler: sts.handler },
        clientCache: { region: 'us-east-1' },
      }),
    )
    const s3 = pool.clients({ RoleArn: roleArn(1) }).client(S3Client, { requestHandler: s.handler, maxAttempts: 1 })
    const destroy = jest.spyOn(s3, 'destroy')
    const { Body } = await s3.send(get)
    pool.provider({ RoleArn: roleArn(2) }) // evicts role 1 while its body streams
    await settle()
    expect(destroy).not.toHaveBeenCalled()
    const text = Body!.transformToString()
    s.bodies[0]!.end('data')
    expect(await text).toBe('data')
    await settle()
    expect(destroy).toHaveBeenCalledTimes(1)
    await pool.close()
  })
})
