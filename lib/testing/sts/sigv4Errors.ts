import type { SigV4Refusal } from '../shared/sigv4.js'
import { stsError, type StsErrorSpec } from './types.js'

const INVALID_TOKEN = 'The security token included in the request is invalid.'

/** STS's answer to each SigV4 refusal (AWS STS API Reference, "Common Errors"). */
export const sigV4Error = (refusal: SigV4Refusal, amzDate: string | undefined): StsErrorSpec => {
  switch (refusal) {
    case 'missing':
      return stsError(400, 'IncompleteSignature', 'Authorization header requires a valid AWS4-HMAC-SHA256 signature.')
    case 'unknownKey':
      return stsError(403, 'InvalidClientTokenId', INVALID_TOKEN)
    case 'scope':
    case 'date':
      return stsError(403, 'SignatureDoesNotMatch', 'X-Amz-Date is missing or does not match the credential scope.')
    case 'skew':
      return stsError(
        403,
        'SignatureDoesNotMatch',
        `Signature expired: ${amzDate ?? ''} is now earlier or later than the server time allows (5 min).`,
      )
    case 'bodyHash':
      return stsError(
        400,
        'XAmzContentSHA256Mismatch',
        'The provided x-amz-content-sha256 header does not match what was computed.',
      )
    case 'signature':
      return stsError(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      )
  }
}
