import { planProfile } from '../../../lib/sources/profile/planProfile'

describe('planProfile', () => {
  it('reads a setting written empty as unset (a config file may write an unset value as "")', () => {
    const plan = planProfile(
      {
        base: { aws_access_key_id: 'AKID', aws_secret_access_key: 'secret', aws_session_token: '' },
        one: { role_arn: 'arn:aws:iam::123456789012:role/one', source_profile: 'base', external_id: '', region: '' },
      },
      'one',
    )
    expect(plan).toEqual({
      base: { kind: 'static', profile: 'base', accessKeyId: 'AKID', secretAccessKey: 'secret' },
      hops: [{ profile: 'one', roleArn: 'arn:aws:iam::123456789012:role/one' }],
    })
  })
})
