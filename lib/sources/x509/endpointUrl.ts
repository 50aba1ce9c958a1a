import type { CredentialError } from '../../errors.js'

/**
 * @internal Parses the `endpoint` of an X.509 source: `host`, `host:port` or
 * `scheme://host[:port][/]` (https when no scheme is given), never with a path, query or
 * user info. `hostname` has no IPv6 brackets. The caller checks the scheme.
 */
export const endpointUrl = (
  endpoint: string,
  invalid: (message: string) => CredentialError,
): { readonly url: URL; readonly hostname: string } => {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid(`endpoint "${endpoint}" is not a host name, host:port or https URL`)
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password)
    throw invalid(
      `endpoint must be a bare host[:port] or bare origin, without path, query or user info (got "${endpoint}")`,
    )
  return { url, hostname: url.hostname.replace(/^\[(.*)\]$/, '$1') }
}
