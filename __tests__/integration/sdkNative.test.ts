import { writeFileSync } from 'node:fs'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { HttpRequest } from '@smithy/types'
import { pipe } from 'fp-ts/function'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fromAssumeRole } from '../../lib/sources/fromAssumeRole'
import { fromCallable } from '../../lib/sources/fromCallable'
import { fromSessionToken } from '../../lib/sources/fromSessionToken'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { withMfa } from '../../lib/transforms/withMfa'
import { fakeSource } from '../support/fakeSource'
import { recordingLogger } from '../support/recordingLogger'
import { codeAt } from '../support/stsFixture'
import { useTempAwsFiles } from '../support/tempAwsFiles'

const ENV = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE'] as const

describe('SDK-native integration (against the STS emulator)', () => {
  let sts: StsEmulator
  const aws = useTempAwsFiles('ars-sdk-', ENV)
  const closers: (() => void)[] = []
  beforeEach(async () => {
    sts = await startStsEmulator({
      roles: [
        { arn: 'arn:aws:iam::123456789012:role/app' },
        { arn: 'arn:aws:iam::123456789012:role/mfa', mfaRequired: true },
      ],
    })
  })
  afterEach(async () => {
    for (const c of closers.splice(0)) c()
    await sts.close()
  })

  const base = async () => sts.baseCredentials
  /** A request handler that counts what it sends, in front of a real NodeHttpHandler. */
  const countingHandler = () => {
    const inner = new NodeHttpHandler()
    const sent: HttpRequest[] = []
    let destroyed = false
    const handler = {
      handle: (request: HttpRequest, options?: object) => (sent.push(request), inner.handle(request as never, options)),
      destroy: () => void (destroyed = true),
    }
    closers.push(() => inner.destroy())
    return { handler, sent, destroyed: () => destroyed }
  }
  const scopeRegion = (i: number): string | undefined =>
    /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(sts.requests[i]?.headers['authorization']))?.[1]
  const assumeRole = (options: Parameters<typeof fromAssumeRole>[1] = {}) => {
    const s = fromAssumeRole(
      { RoleArn: 'arn:aws:iam::123456789012:role/app' },
      { source: base, ...options, clientConfig: { endpoint: sts.endpoint, ...options.clientConfig } },
    )
    closers.push(s.close)
    return s
  }

  describe('logger', () => {
    it('withRefresh logs refreshes at debug/info and failures and stale serving at warn', async () => {
      let now = Date.parse('2026-01-01T00:00:00Z')
      const logger = recordingLogger()
      const source = fakeSource(3_600_000, () => now)
      const provider = withRefresh({ now: () => now, logger, background: false, jitter: 0 })(source)
      await provider()
      expect(logger.at('debug')).toEqual([expect.stringContaining('{"type":"refresh-started","reason":"cold"')])
      expect(logger.at('info')).toEqual([
        expect.stringMatching(
          /\{"type":"refresh-succeeded","reason":"cold".*"expiration":"2026-01-01T01:00:00.000Z","refreshAt":"2026-01-01T00:45:00.000Z","accessKeyIdSuffix":"\w{4}"\}$/,
        ),
      ])
      source.failWith(new Error('down'))
      now += 3_600_000 - 30_000 // inside the mandatory window
      await provider()
      expect(logger.at('warn')).toEqual([
        expect.stringMatching(
          /\{"type":"refresh-failed","reason":"mandatory",.*"error":"SourceFailed: .*","failures":1\}$/,
        ),
        expect.stringContaining('{"type":"stale-served","at":'),
      ])
    })

    it('an STS source logs its calls, and its private STSClient logs through it without the session token or the MFA code', async () => {
      const logger = recordingLogger()
      let code = ''
      const source = fromAssumeRole(
        { RoleArn: 'arn:aws:iam::123456789012:role/mfa', SerialNumber: sts.mfa.serialNumber },
        { source: base, logger, clientConfig: { endpoint: sts.endpoint, region: sts.region } },
      )
      closers.push(source.close)
      const creds = await withMfa(() => (code = codeAt(sts, Date.now())))(source)()
      logger.forbid(creds.sessionToken!, creds.secretAccessKey, code)
      expect(logger.at('debug')).toContain('fromAssumeRole: STS AssumeRole with an MFA code')
      // The SDK's own line, scrubbed: client, command and metadata only.
      expect(
        logger
          .at('info')
          .some((l) => l.includes('"clientName":"STSClient"') && l.includes('"commandName":"AssumeRoleCommand"')),
      ).toBe(true)
      sts.inject({ type: 'status', status: 500, count: Infinity })
      await expect(withMfa(() => codeAt(sts, Date.now() + 30_000))(source)()).rejects.toMatchObject({
        code: 'ServiceUnavailable',
      })
      expect(logger.at('warn')).toEqual([
        expect.stringMatching(/^fromAssumeRole: STS AssumeRole: HTTP 500 .* \(ServiceUnavailable\)$/),
      ])
    })

    it('fromCallable logs a failure at warn, and a bad logger is InvalidConfiguration at construction', async () => {
      const logger = recordingLogger()
      await expect(fromCallable(async () => ({ accessKeyId: 'AKID' }) as never, { logger })()).rejects.toMatchObject({
        code: 'InvalidCredentials',
      })
      expect(logger.at('warn')).toEqual([expect.stringContaining('fromCallable: InvalidCredentials')])
      expect(() =>
        fromAssumeRole(
          { RoleArn: 'arn:aws:iam::123456789012:role/app' },
          { logger: { debug: () => undefined } as never },
        ),
      ).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
      expect(() => withRefresh({ logger: 'console' as never })).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration' }),
      )
    })
  })

  describe('caller config inherited', () => {
    it("the private STSClient sends through the calling client's requestHandler, with its userAgentAppId, to its logger", async () => {
      const { handler, sent, destroyed } = countingHandler()
      const logger = recordingLogger()
      const credentials = pipe(assumeRole(), withRefresh())
      closers.push(credentials.close)
      const caller = new STSClient({
        endpoint: sts.endpoint,
        region: sts.region,
        credentials,
        requestHandler: handler,
        logger,
        userAgentAppId: 'my-app',
        maxAttempts: 1,
      })
      closers.push(() => caller.destroy())
      await caller.send(new GetCallerIdentityCommand({}))
      expect(sent.map((r) => new URLSearchParams(String(r.body)).get('Action'))).toEqual([
        'AssumeRole',
        'GetCallerIdentity',
      ])
      const assume = sts.requests.find((r) => r.action === 'AssumeRole')!
      expect(String(assume.headers['user-agent'])).toContain('app/my-app')
      expect(logger.at('debug')).toContain('fromAssumeRole: STS AssumeRole')
      // The private client's destroy() must not close the caller's handler.
      credentials.close()
      await new Promise((r) => setImmediate(r))
      expect(destroyed()).toBe(false)
      await expect(caller.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
        Arn: expect.stringContaining(':assumed-role/'),
      })
    })

    it("the source's own clientConfig wins over the caller's", async () => {
      const own = countingHandler()
      const callers = countingHandler()
      const credentials = pipe(assumeRole({ clientConfig: { requestHandler: own.handler } }), withRefresh())
      closers.push(credentials.close)
      const caller = new STSClient({
        endpoint: sts.endpoint,
        region: sts.region,
        credentials,
        requestHandler: callers.handler,
        maxAttempts: 1,
      })
      closers.push(() => caller.destroy())
      await caller.send(new GetCallerIdentityCommand({}))
      expect(own.sent).toHaveLength(1)
      expect(callers.sent).toHaveLength(1)
    })

    it("the calling client's profile applies to the private STSClient (its max_attempts)", async () => {
      writeFileSync(aws.file('config'), '[profile once]\nmax_attempts = 1\n')
      const run = async (profile: string | undefined): Promise<number> => {
        const credentials = pipe(
          fromSessionToken({}, { source: base, clientConfig: { endpoint: sts.endpoint } }),
          withRefresh(),
        )
        closers.push(credentials.close)
        const caller = new STSClient({
          endpoint: sts.endpoint,
          region: sts.region,
          credentials,
          ...(profile ? { profile } : {}),
          maxAttempts: 1,
        })
        closers.push(() => caller.destroy())
        sts.inject({ type: 'status', status: 500, action: 'GetSessionToken' })
        const before = sts.requests.length
        await caller.send(new GetCallerIdentityCommand({})).catch(() => undefined)
        return sts.requests.slice(before).filter((r) => r.action === 'GetSessionToken').length
      }
      expect(await run('once')).toBe(1) // one attempt: the 500 fails the call
      expect(await run(undefined)).toBe(2) // the SDK's default 3 attempts: the retry succeeds
    })
  })

  describe('region chain', () => {
    it('option, clientConfig, caller, then AWS_REGION, then the profile region of the config file', async () => {
      writeFileSync(aws.file('config'), '[default]\nregion = eu-west-3\n[profile other]\nregion = ap-south-1\n')
      const call = async (options: Parameters<typeof fromAssumeRole>[1], context?: object) => {
        const before = sts.requests.length
        await assumeRole(options)(context)
        return scopeRegion(before)
      }
      const caller = { callerClientConfig: { region: async () => 'ca-central-1' } }
      await expect(call({ region: 'eu-north-1', clientConfig: { region: 'sa-east-1' } }, caller)).resolves.toBe(
        'eu-north-1',
      )
      await expect(call({ clientConfig: { region: 'sa-east-1' } }, caller)).resolves.toBe('sa-east-1')
      await expect(call({}, caller)).resolves.toBe('ca-central-1')
      await expect(call({})).resolves.toBe('eu-west-3')
      process.env['AWS_PROFILE'] = 'other'
      await expect(call({})).resolves.toBe('ap-south-1')
      await expect(call({ clientConfig: { profile: 'default' } })).resolves.toBe('eu-west-3')
      process.env['AWS_REGION'] = 'us-west-2'
      await expect(call({})).resolves.toBe('us-west-2')
    })

    it('with no region anywhere, us-east-1 and one warning per source', async () => {
      const logger = recordingLogger()
      const source = assumeRole({ logger })
      for (let i = 0; i < 3; i++) await source()
      expect(scopeRegion(0)).toBe('us-east-1')
      expect(logger.at('warn')).toEqual([expect.stringMatching(/^fromAssumeRole: no region.* using us-east-1/)])
    })
  })
})
