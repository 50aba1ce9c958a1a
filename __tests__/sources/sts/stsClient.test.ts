import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SourceContext } from '../../../lib/types'
import { lazyStsClient, type StsSourceOptions } from '../../../lib/sources/sts/stsClient'

describe('lazyStsClient', () => {
  const saved = { region: process.env['AWS_REGION'], config: process.env['AWS_CONFIG_FILE'] }
  beforeEach(() => {
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-refresh-session/config'
  })
  afterEach(() => {
    if (saved.region === undefined) delete process.env['AWS_REGION']
    else process.env['AWS_REGION'] = saved.region
    if (saved.config === undefined) delete process.env['AWS_CONFIG_FILE']
    else process.env['AWS_CONFIG_FILE'] = saved.config
  })
  const caller = { callerClientConfig: { region: async () => 'caller-region' } }

  /** The region of the private client that the first call of a source creates. */
  const regionOf = async (options: StsSourceOptions, context?: SourceContext): Promise<string> => {
    const sts = lazyStsClient(options, 'fromAssumeRole')
    try {
      const { client } = await sts.get(context)
      return await client.config.region()
    } finally {
      sts.close()
    }
  }

  it('prefers options.region, then clientConfig.region (string or provider), then the caller, then AWS_REGION, then us-east-1', async () => {
    process.env['AWS_REGION'] = 'env-region'
    await expect(regionOf({ region: 'opt', clientConfig: { region: 'cfg' } }, caller)).resolves.toBe('opt')
    await expect(regionOf({ clientConfig: { region: 'cfg' } }, caller)).resolves.toBe('cfg')
    await expect(regionOf({ clientConfig: { region: async () => 'cfg-fn' } }, caller)).resolves.toBe('cfg-fn')
    await expect(regionOf({}, caller)).resolves.toBe('caller-region')
    await expect(regionOf({})).resolves.toBe('env-region')
    delete process.env['AWS_REGION']
    await expect(regionOf({})).resolves.toBe('us-east-1')
  })

  it("reads the region of the inherited profile (the source's, else the caller's) from the shared config file", async () => {
    delete process.env['AWS_REGION']
    const file = join(mkdtempSync(join(tmpdir(), 'ars-region-')), 'config')
    writeFileSync(file, '[profile own]\nregion = own-region\n[profile theirs]\nregion = their-region\n')
    process.env['AWS_CONFIG_FILE'] = file
    const theirs = { callerClientConfig: { region: async () => undefined as never, profile: 'theirs' } }
    await expect(regionOf({ clientConfig: { profile: 'own' } }, theirs)).resolves.toBe('own-region')
    await expect(regionOf({}, theirs)).resolves.toBe('their-region')
  })
})
