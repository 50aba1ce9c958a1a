import { readdirSync } from 'node:fs'
import { startIotEmulator, type IotEmulator } from '../../lib/testing/startIotEmulator'
import { runIn, tempDir } from './cliFixture'

describe('credential-process --iot', () => {
  let iot: IotEmulator
  let cache: ReturnType<typeof tempDir>
  beforeAll(async () => {
    iot = await startIotEmulator({ things: ['pump-7'] })
    cache = tempDir()
  })
  afterAll(async () => {
    cache.remove()
    await iot.close()
  })

  /** `credential-process` for the emulator's `device-role`; the certificate flags follow. */
  const iotArgs = (): string[] => [
    'credential-process',
    '--iot',
    '--endpoint',
    iot.endpoint,
    '--role-alias',
    'device-role',
  ]

  it('gets credentials from the IoT credentials provider over mutual TLS, then from the cache', async () => {
    const files = iot.writeFiles(iot.device)
    const args = [
      ...iotArgs(),
      '--thing-name',
      'pump-7',
      '--certificate',
      files.certificatePath,
      '--private-key',
      files.privateKeyPath,
      '--ca',
      files.caPath,
      '--cache-dir',
      cache.path,
    ]
    const first = await runIn(args)
    expect(first.code).toBe(0)
    const json = JSON.parse(first.stdout) as Record<string, unknown>
    expect(json).toMatchObject({
      Version: 1,
      AccessKeyId: expect.any(String),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
      Expiration: expect.any(String),
    })
    expect(iot.requests).toHaveLength(1)
    expect(iot.requests[0]).toMatchObject({ thingName: 'pump-7' })
    const second = await runIn(args)
    expect(second.stdout).toBe(first.stdout)
    expect(iot.requests).toHaveLength(1)
    expect(readdirSync(cache.path)).toHaveLength(1)
    expect(first.stderr + second.stderr).not.toContain(String(json['SecretAccessKey']))
  })

  it('is a usage error (exit 2) when the key file cannot be read', async () => {
    const r = await runIn([
      ...iotArgs(),
      '--certificate',
      '/nonexistent/cert.pem',
      '--private-key',
      '/nonexistent/key.pem',
      '--no-cache',
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^aws-refresh-session: fromIotCertificate: .*certificate/)
  })
})
