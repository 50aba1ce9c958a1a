// Run as one of many processes: the built library, withFileCache over an MFA source.
// Appends one line to PROMPTS each time an MFA code is asked for; prints the key id.
const { appendFileSync } = require('node:fs')
const lib = require(process.env.LIB)
const { pipe, fromSessionToken, withMfa, withFileCache, withRefresh, totp } = lib

const sts = JSON.parse(process.env.STS)
const codes = totp(sts.mfa.secret)
const asked = async (serial) => {
  appendFileSync(process.env.PROMPTS, `${process.pid}\n`)
  return codes(serial)
}
const credentials = pipe(
  fromSessionToken(
    { SerialNumber: sts.mfa.serialNumber },
    { source: async () => sts.baseCredentials, clientConfig: { endpoint: sts.endpoint, region: sts.region } },
  ),
  withMfa(asked),
  withFileCache({
    key: { action: 'GetSessionToken', base: sts.baseCredentials.accessKeyId, endpoint: sts.endpoint },
    dir: process.env.CACHE_DIR,
  }),
  withRefresh(),
)
credentials().then((c) => {
  process.stdout.write(`${c.accessKeyId}\n`)
  credentials.close()
})
