import { Readable } from 'node:stream'

/** One STS request the fake handler received. */
export type FakeStsCall = {
  readonly action: string
  readonly roleArn: string
  readonly accessKeyId: string | undefined
}

/**
 * An SDK request handler that answers STS AssumeRole (and GetCallerIdentity) in-process, so a test counts exact
 * calls and requests in flight without sockets. `hold()` makes answers wait for `release()`;
 * `deny(roleArn)` answers AccessDenied for that role.
 */
export const fakeStsHandler = (lifetimeMs = 3_600_000, now: () => number = () => Date.now()) => {
  const calls: FakeStsCall[] = []
  const denied = new Set<string>()
  let inFlight = 0
  let peak = 0
  let held: (() => void)[] | undefined
  const answer = (status: number, xml: string) => ({
    response: {
      statusCode: status,
      reason: '',
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'fake' },
      body: Readable.from([Buffer.from(xml)]),
    },
  })
  const handle = async (request: { body?: unknown; headers: Record<string, string> }) => {
    const params = new URLSearchParams(String(request.body))
    const roleArn = params.get('RoleArn') ?? ''
    const action = params.get('Action') ?? ''
    calls.push({
      action,
      roleArn,
      accessKeyId: /Credential=([^/]+)\//.exec(request.headers['authorization'] ?? '')?.[1],
    })
    inFlight += 1
    peak = Math.max(peak, inFlight)
    try {
      if (held) await new Promise<void>((r) => held?.push(r))
      if (denied.has(roleArn))
        return answer(
          403,
          '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized</Message></Error><RequestId>x</RequestId></ErrorResponse>',
        )
      if (action === 'GetCallerIdentity')
        return answer(
          200,
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><UserId>AROAFAKE:s</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
        )
      const n = calls.length
      const expiration = new Date(now() + lifetimeMs).toISOString()
      return answer(
        200,
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><Arn>${roleArn.replace(':iam:', ':sts:').replace(':role/', ':assumed-role/')}/s</Arn><AssumedRoleId>AROAFAKE:s</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>ASIAFAKE${n}</AccessKeyId><SecretAccessKey>secret${n}</SecretAccessKey><SessionToken>token${n}</SessionToken><Expiration>${expiration}</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      )
    } finally {
      inFlight -= 1
    }
  }
  return {
    handler: {
      handle,
      destroy: () => undefined,
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    },
    calls,
    inFlight: () => inFlight,
    peak: () => peak,
    deny: (roleArn: string) => void denied.add(roleArn),
    hold: () => void (held ??= []),
    /** Answers every held request; later requests answer at once. */
    release: () => {
      const waiting = held ?? []
      held = undefined
      waiting.forEach((r) => r())
    },
  }
}

/** An account's role ARN for a test: `arn:aws:iam::<12 digits>:role/<name>`. */
export const roleArn = (i: number, name = 'reader'): string => `arn:aws:iam::${String(100000000000 + i)}:role/${name}`
