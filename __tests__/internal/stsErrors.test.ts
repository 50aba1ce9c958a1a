import { inspect } from 'node:util'
import { originalCause } from '../../lib/errors'
import { stsError } from '../../lib/internal/stsErrors'

describe('stsError', () => {
  it('masks a session token that an STS error message echoes (SignatureDoesNotMatch canonical string)', () => {
    const token = `CANARYIQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD${'a1B2'.repeat(20)}==`
    const message = [
      'The request signature we calculated does not match the signature you provided.',
      "The Canonical String for this request should have been 'POST",
      '/',
      'x-amz-date:20260101T000000Z',
      `x-amz-security-token:${token}`,
      "'",
    ].join('\n')
    const sdkError = Object.assign(new Error(message), {
      name: 'SignatureDoesNotMatch',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    })
    const error = stsError(sdkError, 'fromAssumeRole', 'AssumeRole')
    expect(error).toMatchObject({ code: 'StsRejected', statusCode: 403, cause: { name: 'SignatureDoesNotMatch' } })
    expect(originalCause(error)).toBe(sdkError)
    expect(inspect(error, { depth: Infinity })).not.toContain('CANARY')
    expect(error.message).toContain('SignatureDoesNotMatch: The request signature we calculated does not match')
    expect(error.message).toContain('x-amz-security-token:***')
    expect(error.message).not.toContain('CANARY')
  })
})
