import { XMLBuilder } from 'fast-xml-parser'
import type { StsErrorSpec } from './types.js'

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/'

// fast-xml-parser escapes text and attribute values, so user-supplied values
// (session names, source identities) can never break the document.
const builder = (): XMLBuilder => new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false })

/** `<{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata/>`. */
export const successXml = (action: string, result: Record<string, unknown>, requestId: string): string =>
  builder().build({
    [`${action}Response`]: {
      '@_xmlns': NS,
      [`${action}Result`]: result,
      ResponseMetadata: { RequestId: requestId },
    },
  }) as string

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export const errorXml = (error: StsErrorSpec, requestId: string): string =>
  builder().build({
    ErrorResponse: {
      '@_xmlns': NS,
      Error: { Type: error.type ?? 'Sender', Code: error.code, Message: error.message },
      RequestId: requestId,
    },
  }) as string

/** STS writes expirations without fractional seconds. */
export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
