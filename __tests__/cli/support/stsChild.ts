// Run as its own process (tsx): the STS emulator the real-process CLI tests talk to, so
// nothing in the Jest process keeps a CLI child alive or answers for it. Prints one JSON
// line describing the emulator, then answers commands on stdin, one JSON line each:
// "requests" (what it saw, without secrets) and "session" (credentials of a second
// identity: a GetSessionToken session of the base user).
import { createInterface } from 'node:readline'
import { fromSessionToken } from '../../../lib/sources/fromSessionToken'
import { startStsEmulator } from '../../../lib/testing/startStsEmulator'

const ACCOUNT = '123456789012'

const main = async (): Promise<void> => {
  const sts = await startStsEmulator({
    roles: [
      { arn: `arn:aws:iam::${ACCOUNT}:role/app` },
      { arn: `arn:aws:iam::${ACCOUNT}:role/mfa`, mfaRequired: true },
    ],
  })
  const reply = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`)
  reply({
    endpoint: sts.endpoint,
    region: sts.region,
    baseCredentials: sts.baseCredentials,
    mfa: sts.mfa,
    roleArns: sts.roleArns,
  })
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    if (line === 'requests')
      reply(
        sts.requests.map((r) => ({
          action: r.action,
          accessKeyId: r.accessKeyId,
          status: r.status,
          tokenCode: r.params['TokenCode'],
        })),
      )
    else if (line === 'session')
      fromSessionToken(
        {},
        { source: async () => sts.baseCredentials, clientConfig: { endpoint: sts.endpoint, region: sts.region } },
      )().then(reply, (e: unknown) => reply({ error: String(e) }))
    else reply({ error: `unknown command ${line}` })
  })
  lines.on('close', () => void sts.close())
}

void main()
