import { roleKey } from '../../lib/clients/roleKey'

describe('roleKey', () => {
  it('gives equal parameters in any key order, nested too, the same key', () => {
    const a = roleKey({
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      ExternalId: 'x',
      Tags: [{ Key: 'k', Value: 'v' }],
    })
    const b = roleKey({
      Tags: [{ Value: 'v', Key: 'k' }],
      ExternalId: 'x',
      RoleArn: 'arn:aws:iam::123456789012:role/r',
    })
    expect(b.key).toBe(a.key)
  })

  it('treats a key holding undefined as missing, and keeps array order', () => {
    expect(roleKey({ RoleArn: 'r', Policy: undefined }).key).toBe(roleKey({ RoleArn: 'r' }).key)
    expect(roleKey({ TransitiveTagKeys: ['a', 'b'] }).key).not.toBe(roleKey({ TransitiveTagKeys: ['b', 'a'] }).key)
    expect(roleKey({ DurationSeconds: 900 }).key).not.toBe(roleKey({ DurationSeconds: '900' }).key)
  })

  it('returns a copy: changing the caller object afterwards does not change it', () => {
    const tags = [{ Key: 'k', Value: 'v' }]
    const { params } = roleKey({ RoleArn: 'r', Tags: tags })
    tags[0]!.Value = 'changed'
    expect(params).toEqual({ RoleArn: 'r', Tags: [{ Key: 'k', Value: 'v' }] })
  })

  it('rejects what is not plain data with InvalidConfiguration, without echoing values', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic['self'] = cyclic
    for (const bad of [
      null,
      'arn',
      [],
      { RoleArn: () => 'r' },
      { At: new Date() },
      { N: Number.POSITIVE_INFINITY },
      { N: 1n },
      cyclic,
    ]) {
      expect(() => roleKey(bad)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
    }
    expect(() => roleKey({ ExternalId: Symbol('secret-value') })).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining('secret-value') }),
    )
  })
})
