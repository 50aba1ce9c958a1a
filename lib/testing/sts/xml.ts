import { XmlNode } from '@aws-sdk/xml-builder'
import type { StsErrorSpec } from './types.js'

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/'

// The SDK's own XML builder escapes text, so user-supplied values (session names, source
// identities) can never break the document.
const node = (name: string, value: unknown): XmlNode =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).reduce(
        (parent, [k, v]) => (v === undefined ? parent : parent.addChildNode(node(k, v))),
        new XmlNode(name),
      )
    : XmlNode.of(name, String(value))

const document = (root: XmlNode): string => root.addAttribute('xmlns', NS).toString()

/** `<{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata/>`. */
export const successXml = (action: string, result: Record<string, unknown>, requestId: string): string =>
  document(node(`${action}Response`, { [`${action}Result`]: result, ResponseMetadata: { RequestId: requestId } }))

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export const errorXml = (error: StsErrorSpec, requestId: string): string =>
  document(
    node('ErrorResponse', {
      Error: { Type: error.type ?? 'Sender', Code: error.code, Message: error.message },
      RequestId: requestId,
    }),
  )

/** STS writes expirations without fractional seconds. */
export const isoSeconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
