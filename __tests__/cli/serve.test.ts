import { request } from 'node:http'
import { Writable } from 'node:stream'
import { fromContainerMetadata, fromHttp } from '@aws-sdk/credential-providers'
import { type ServeHandle, startServe } from '../../lib/cli/startServe'
import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { fromCallable } from '../../lib/sources/fromCallable'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { clientConfigFor } from '../support/stsFixture'
import { runIn } from './cliFixture'

const ROLE = 'arn:aws:iam::123456789012:role/app'

type Answer = { status: number; body: string; headers: Record<string, string | string[] | undefined> }

const get = (url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })

describe('startServe', () => {
  let sts: StsEmulator
  let served: ServeHandle
  beforeEach(async () => {
    sts = await startStsEmulator({ roles: [{ arn: ROLE }] })
    served = await startServe({
      source: fromAssumeRole(
        { RoleArn: ROLE },
        { source: async () => sts.baseCredentials, clientConfig: clientConfigFor(sts) },
      ),
    })
  })
  afterEach(async () => {
    await served.close()
    await sts.close()
  })

  it('listens on 127.0.0.1 only, with a random 256-bit token', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/)
    expect(Buffer.from(served.token, 'base64url')).toHaveLength(32)
    const other = await startServe({ source: fromCallable(() => ({ accessKeyId: 'A', secretAccessKey: 'S' })) })
    expect(other.token).not.toBe(served.token)
    await other.close()
  })

  it('is read by the SDK fromHttp with the token, one STS call for many reads (one withRefresh provider)', async () => {
    const read = fromHttp({
      awsContainerCredentialsFullUri: served.url,
      awsContainerAuthorizationToken: served.token,
      maxRetries: 0,
    })
    const [a, b] = await Promise.all([read(), read()])
    expect(a).toMatchObject({
      accessKeyId: expect.stringMatching(/^ASIA/),
      secretAccessKey: expect.any(String),
      sessionToken: expect.any(String),
      expiration: expect.any(Date),
    })
    expect(b).toEqual(a)
    expect(a.accessKeyId).toBe(served.provider.current()?.accessKeyId)
    expect(sts.requests.filter((r) => r.action === 'AssumeRole')).toHaveLength(1)
  })

  it('is read by the SDK fromContainerMetadata from AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN', async () => {
    const saved = {
      uri: process.env['AWS_CONTAINER_CREDENTIALS_FULL_URI'],
      token: process.env['AWS_CONTAINER_AUTHORIZATION_TOKEN'],
    }
    process.env['AWS_CONTAINER_CREDENTIALS_FULL_URI'] = served.url
    process.env['AWS_CONTAINER_AUTHORIZATION_TOKEN'] = served.token
    try {
      const c = await fromContainerMetadata()()
      expect(c.accessKeyId).toBe((await served.provider()).accessKeyId)
      expect(c.expiration?.toISOString()).toBe(served.provider.current()?.expiration?.toISOString())
    } finally {
      for (const [k, v] of [
        ['AWS_CONTAINER_CREDENTIALS_FULL_URI', saved.uri],
        ['AWS_CONTAINER_AUTHORIZATION_TOKEN', saved.token],
      ] as const)
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
    }
  })

  it('answers 401 without the token or with a wrong one, before touching the source', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'wrong' },
      { authorization: `${served.token}x` },
      { authorization: served.token.slice(0, -1) },
    ]) {
      const r = await get(served.url, headers)
      expect(r.status).toBe(401)
      expect(r.body).not.toContain('AccessKeyId')
    }
    expect(sts.requests).toHaveLength(0)
  })

  it('accepts the token bare (as the SDKs send it) or as a Bearer token', async () => {
    expect((await get(served.url, { authorization: served.token })).status).toBe(200)
    const r = await get(served.url, { authorization: `Bearer ${served.token}` })
    expect(r.status).toBe(200)
    expect(r.headers['cache-control']).toBe('no-store')
    expect(Object.keys(JSON.parse(r.body) as object)).toEqual([
      'AccessKeyId',
      'SecretAccessKey',
      'Token',
      'Expiration',
      'AccountId',
    ])
  })

  it('answers 404 for other paths and 405 for methods other than GET', async () => {
    const auth = { authorization: served.token }
    expect((await get(served.url.replace('/credentials', '/other'), auth)).status).toBe(404)
    const post = await get(served.url, auth, 'POST')
    expect(post.status).toBe(405)
    expect(post.headers['allow']).toBe('GET')
  })

  it('answers 500 with the error code and a secret-free message when there are no credentials', async () => {
    const failing = await startServe({
      source: fromAssumeRole(
        { RoleArn: 'arn:aws:iam::123456789012:role/unknown' },
        { source: async () => sts.baseCredentials, clientConfig: clientConfigFor(sts) },
      ),
    })
    try {
      const r = await get(failing.url, { authorization: failing.token })
      expect(r.status).toBe(500)
      expect(JSON.parse(r.body)).toMatchObject({
        Code: 'StsRejected',
        Message: expect.stringContaining('fromAssumeRole'),
      })
      expect(r.body).not.toContain(sts.baseCredentials.secretAccessKey)
    } finally {
      await failing.close()
    }
  })
})

describe('serve (the subcommand)', () => {
  let sts: StsEmulator
  beforeEach(async () => {
    sts = await startStsEmulator({ roles: [{ arn: ROLE }] })
  })
  afterEach(() => sts.close())

  /** Starts `serve` in-process; resolves with what it printed once it printed `lines` lines. */
  const start = (extra: string[], lines: number) => {
    const controller = new AbortController()
    let text = ''
    let printed!: (text: string) => void
    const ready = new Promise<string>((resolve) => (printed = resolve))
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        text += String(chunk)
        if (text.split('\n').length > lines) printed(text)
        callback()
      },
    })
    const running = runIn(['serve', '--assume-role', ROLE, '--endpoint-url', sts.endpoint, ...extra], {
      baseCredentials: async () => sts.baseCredentials,
      signal: controller.signal,
      stdout,
    })
    return { ready, running, stop: () => controller.abort() }
  }

  it('prints the two exports, serves until its signal aborts, logs no secret, then closes and exits 0', async () => {
    const serving = start([], 2)
    const text = await serving.ready
    expect(text).toMatch(
      /^export AWS_CONTAINER_CREDENTIALS_FULL_URI=http:\/\/127\.0\.0\.1:\d+\/credentials\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN=[\w-]{43}\n$/,
    )
    const env = Object.fromEntries([...text.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]))
    const url = env['AWS_CONTAINER_CREDENTIALS_FULL_URI']!
    const c = await fromHttp({
      awsContainerCredentialsFullUri: url,
      awsContainerAuthorizationToken: env['AWS_CONTAINER_AUTHORIZATION_TOKEN'],
      maxRetries: 0,
    })()
    serving.stop()
    const r = await serving.running
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/credentials refreshed \(key …\w{4}, expire /)
    expect(r.stderr).toContain('(127.0.0.1 only); stop with Ctrl-C')
    for (const secret of [sts.baseCredentials.secretAccessKey, c.secretAccessKey, c.sessionToken!])
      expect(r.stderr).not.toContain(secret)
    await expect(get(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('prints one JSON object with --json', async () => {
    const serving = start(['--json'], 1)
    const printed = JSON.parse(await serving.ready) as Record<string, string>
    serving.stop()
    expect((await serving.running).code).toBe(0)
    expect(Object.keys(printed)).toEqual(['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'])
  })

  it('exits 1 without printing exports when the first fetch fails', async () => {
    const r = await runIn(
      ['serve', '--assume-role', 'arn:aws:iam::123456789012:role/unknown', '--endpoint-url', sts.endpoint],
      { baseCredentials: async () => sts.baseCredentials },
    )
    expect(r).toMatchObject({ code: 1, stdout: '' })
    expect(r.stderr).toMatch(/\[StsRejected\]/)
  })
})
