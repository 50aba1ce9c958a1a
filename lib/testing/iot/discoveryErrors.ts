import type { SigV4Refusal } from '../shared/sigv4.js'

/** A restJson error the DescribeEndpoint listener answers with. */
export type SigV4Failure = { readonly status: number; readonly type: string; readonly message: string }

const fail = (status: number, type: string, message: string): SigV4Failure => ({ status, type, message })

/** IoT's answer to each SigV4 refusal (AWS IoT API Reference, "Common Errors"). */
export const discoveryError = (
  refusal: SigV4Refusal,
  region: string | undefined,
  service: string | undefined,
): SigV4Failure => {
  switch (refusal) {
    case 'missing':
      return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token')
    case 'unknownKey':
      return fail(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.')
    case 'scope':
      return fail(
        403,
        'InvalidSignatureException',
        `Credential should be scoped to a valid region and service iot, not ${region ?? ''}/${service ?? ''}.`,
      )
    case 'date':
    case 'skew':
      return fail(403, 'InvalidSignatureException', 'Signature expired or X-Amz-Date missing.')
    case 'bodyHash':
    case 'signature':
      return fail(
        403,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.',
      )
  }
}
