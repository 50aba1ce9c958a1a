import { describeError, redact, redactCause } from '../../lib/internal/redact'

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

describe('redactCause', () => {
  it('keeps the stack frames under a redacted header, and no other line of the stack', () => {
    const e = new Error('code 123456')
    e.stack = 'Error: code 123456\n    at f (file.js:1:2)\ntoken line 654321\n\tat g (file.js:3:4)'
    expect((redactCause(e) as Error).stack).toBe('Error: code ******\n    at f (file.js:1:2)\n\tat g (file.js:3:4)')
  })

  it('copies the safe fields, $metadata ids and the throttling trait, and nothing else', () => {
    const e = Object.assign(new Error('x'), {
      code: 'ECONNRESET',
      errno: -104,
      secret: 'dropped',
      $metadata: { httpStatusCode: 503, requestId: 'req-1', cfId: 'dropped', attempts: 2 },
      $retryable: { throttling: 1 },
    })
    expect({ ...(redactCause(e) as object) }).toEqual({
      code: 'ECONNRESET',
      errno: -104,
      $metadata: { httpStatusCode: 503, requestId: 'req-1', attempts: 2 },
      $retryable: { throttling: false },
    })
  })
})
