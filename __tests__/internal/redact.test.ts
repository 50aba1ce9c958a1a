import { describeError, redact } from '../../lib/internal/redact'

describe('redact', () => {
  it('masks secret access keys, session tokens, PEM blocks and six-digit codes', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    const token = 'FwoGZXIvYXdzEJr//////////wEaDOm5cRkCANARYtOKEN'
    const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----'
    const out = redact(`key ${secret} token ${token} code 123456 ${pem}`)
    expect(out).not.toContain(secret)
    expect(out).not.toContain(token)
    expect(out).not.toContain('123456')
    expect(out).not.toContain('MIGHAgEAMBMGByqGSM49')
    expect(out).toContain('[PEM]')
  })

  it('keeps file paths and words that hold no digit, so messages stay useful', () => {
    expect(redact('could not read /home/someone/.aws/credentials')).toBe(
      'could not read /home/someone/.aws/credentials',
    )
  })

  it('bounds the length', () => {
    expect(redact('x '.repeat(1000)).length).toBeLessThanOrEqual(301)
  })
})

describe('describeError', () => {
  it('gives the name and the redacted message of an error, and the type of anything else', () => {
    expect(describeError(new TypeError('bad 654321'))).toBe('TypeError: bad ******')
    expect(describeError(42)).toBe('number')
  })
})
