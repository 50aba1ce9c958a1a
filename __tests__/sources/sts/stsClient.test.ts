import { resolveRegion } from '../../../lib/sources/sts/stsClient'

describe('resolveRegion', () => {
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

  it('prefers options.region, then clientConfig.region (string or provider), then the caller, then AWS_REGION, then us-east-1', async () => {
    process.env['AWS_REGION'] = 'env-region'
    await expect(resolveRegion({ region: 'opt', clientConfig: { region: 'cfg' } }, caller)).resolves.toBe('opt')
    await expect(resolveRegion({ clientConfig: { region: 'cfg' } }, caller)).resolves.toBe('cfg')
    await expect(resolveRegion({ clientConfig: { region: async () => 'cfg-fn' } }, caller)).resolves.toBe('cfg-fn')
    await expect(resolveRegion({}, caller)).resolves.toBe('caller-region')
    await expect(resolveRegion({})).resolves.toBe('env-region')
    delete process.env['AWS_REGION']
    await expect(resolveRegion({})).resolves.toBe('us-east-1')
  })
})
