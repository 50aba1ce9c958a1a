// npm run demo [-- --quick]
//
// The whole pipeline against the embedded local emulators (STS, the IoT credentials
// provider and IAM Roles Anywhere on 127.0.0.1): no AWS account, nothing leaves the machine. About 30 s
// (10 s with --quick). Credential lifetimes and the MFA time step are far shorter than
// AWS allows (15 min, 30 s) so that a few seconds show many refreshes.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import {
  fromAssumeRole,
  fromIotCertificate,
  fromRolesAnywhere,
  pipe,
  totp,
  withClientCache,
  withMfa,
  withRefresh,
  type ClientFactory,
  type RefreshingProvider,
} from '../lib/index.js'
import {
  startIotEmulator,
  startRolesAnywhereEmulator,
  startStsEmulator,
  type IotEmulator,
  type RolesAnywhereEmulator,
  type StsEmulator,
} from '../lib/testing/index.js'
import { bold, dim, green, red, sleep, timeline, yellow, type Timeline } from './support/timeline.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true' // the SDK's Node 20 notice, not ours

const quick = process.argv.includes('--quick')
const plan = quick
  ? { seconds: 11, stsLifetime: 5, mfaStep: 1, iotLifetime: 4, raLifetime: 3, outage: [5.5, 7.5], tick: 200 }
  : { seconds: 30, stsLifetime: 12, mfaStep: 3, iotLifetime: 9, raLifetime: 7, outage: [12.5, 19.5], tick: 250 }
const ROLE = 'arn:aws:iam::123456789012:role/demo-admin'

type Tally = { mfaAsked: number; clientCalls: number; callerErrors: number; commands: number }

const stsPipeline = (sts: StsEmulator, t: Timeline, tally: Tally): RefreshingProvider => {
  const codes = totp(sts.mfa.secret, { periodSeconds: plan.mfaStep })
  const askCode = (serial: string): Promise<string> => {
    tally.mfaAsked += 1
    t.log(
      'mfa',
      `code #${tally.mfaAsked} asked for ${serial.split(':').pop()} (only because STS is about to be called)`,
    )
    return Promise.resolve(codes(serial))
  }
  return pipe(
    fromAssumeRole(
      { RoleArn: ROLE, SerialNumber: sts.mfa.serialNumber, RoleSessionName: 'demo', DurationSeconds: 900 },
      { source: async () => sts.baseCredentials, region: sts.region, clientConfig: { endpoint: sts.endpoint } },
    ),
    withMfa(askCode),
    withRefresh({ backoffBaseMs: 500, backoffMaxMs: 1_500, onEvent: t.observer('sts') }),
  )
}

const iotPipeline = (iot: IotEmulator, t: Timeline): RefreshingProvider =>
  pipe(
    fromIotCertificate({
      region: iot.region,
      discovery: async () => iot.discovery.credentials, // endpoint discovered with DescribeEndpoint
      discoveryClientConfig: { endpoint: iot.discovery.endpoint },
      connectTo: iot.address, // loopback only; TLS still checks the IoT host name
      ca: iot.ca,
      certificate: iot.device.certificate,
      privateKey: iot.device.privateKey,
      roleAlias: 'demo-device',
      thingName: 'demo-thing',
    }),
    withRefresh({ onEvent: t.observer('iot') }),
  )

/** A workload outside AWS: its X.509 certificate (with an intermediate) through IAM Roles Anywhere. */
const rolesAnywherePipeline = (ra: RolesAnywhereEmulator, t: Timeline): RefreshingProvider =>
  pipe(
    fromRolesAnywhere({
      endpoint: ra.endpoint, // loopback only; the default is https://rolesanywhere.REGION.amazonaws.com
      trustAnchorArn: ra.trustAnchorArn,
      profileArn: ra.profileArn,
      roleArn: ra.roleArn,
      certificate: ra.certificate.certificate,
      privateKey: ra.certificate.privateKey,
      intermediates: ra.certificate.intermediates!,
    }),
    withRefresh({ onEvent: t.observer('ra') }),
  )

/** Application code: every call asks the factory for its client (a cache hit) and sends. */
const callAws = async (
  clients: ClientFactory,
  sts: StsEmulator,
  t: Timeline,
  tally: Tally,
  verbose: boolean,
): Promise<void> => {
  tally.clientCalls += 2
  const regions = [clients.client(STSClient), clients.client(STSClient, { region: 'eu-west-1' })]
  for (const client of regions) {
    try {
      const who = await client.send(new GetCallerIdentityCommand({}))
      tally.commands += 1
      const signer = sts.requests.at(-1)?.accessKeyId ?? '????'
      if (verbose && client === regions[0])
        t.log(
          'app',
          `GetCallerIdentity -> ${who.Arn?.split(':').pop()}  ${dim(`signed with key ...${signer.slice(-4)}`)}`,
        )
    } catch (e) {
      tally.callerErrors += 1
      t.log('app', red(`call failed: ${e instanceof Error ? e.name : String(e)}`))
    }
  }
}

const run = async (sts: StsEmulator, iot: IotEmulator, ra: RolesAnywhereEmulator, t: Timeline): Promise<Tally> => {
  const tally: Tally = { mfaAsked: 0, clientCalls: 0, callerErrors: 0, commands: 0 }
  const credentials = stsPipeline(sts, t, tally)
  const clients = pipe(credentials, withClientCache({ region: sts.region, defaults: { endpoint: sts.endpoint } }))
  const device = iotPipeline(iot, t)
  const workload = rolesAnywherePipeline(ra, t)
  try {
    t.section('1. Assume an MFA-protected role; clients come from one factory sharing the provider')
    t.log('app', `whoami() -> ${(await clients.whoami()).Arn}`)
    await Promise.all([device(), workload()])
    t.section(`2. Traffic for ${plan.seconds} s: refreshes happen in the background, callers never wait`)
    const start = Date.now()
    let outage = false
    for (let tick = 0; Date.now() - start < plan.seconds * 1000; tick++) {
      const at = (Date.now() - start) / 1000
      if (!outage && at >= (plan.outage[0] ?? 0) && at < (plan.outage[1] ?? 0)) {
        outage = true
        sts.inject({ type: 'status', status: 503, action: 'AssumeRole', count: Infinity })
        t.log('chaos', yellow('STS AssumeRole starts answering 503 (injected outage)'))
      } else if (outage && at >= (plan.outage[1] ?? 0)) {
        outage = false
        sts.clearFaults()
        t.log('chaos', green('STS is back'))
      }
      await Promise.all([
        callAws(clients, sts, t, tally, tick % Math.round(2_000 / plan.tick) === 0),
        device(),
        workload(),
      ])
      await sleep(plan.tick)
    }
    return tally
  } finally {
    clients.close() // destroys the cached clients and stops the provider's timer
    device.close()
    workload.close()
  }
}

const summary = (sts: StsEmulator, iot: IotEmulator, ra: RolesAnywhereEmulator, tally: Tally): void => {
  const assume = sts.requests.filter((r) => r.action === 'AssumeRole')
  const ok = assume.filter((r) => r.status === 200).length
  console.log(`\n${bold('Summary')}`)
  console.log(`  AWS calls made by the app        ${tally.commands} GetCallerIdentity, ${tally.callerErrors} failed`)
  console.log(
    `  client() calls / clients built   ${tally.clientCalls} / 2 (one per region): ${tally.clientCalls - 2} cache hits`,
  )
  console.log(
    `  STS AssumeRole calls             ${assume.length} (${ok} succeeded, ${assume.length - ok} hit the outage)`,
  )
  console.log(`  MFA codes asked                  ${tally.mfaAsked} (one per STS call, none for cached calls)`)
  console.log(
    `  IoT credential requests          ${iot.requests.length} over ${iot.stats.tlsHandshakes} TLS handshake(s), ${iot.discoveryRequests.length} DescribeEndpoint`,
  )
  console.log(
    `  Roles Anywhere CreateSession     ${ra.requests.length} (${ra.requests.filter((r) => r.status === 201).length} succeeded), signed ${ra.requests[0]?.algorithm ?? '-'}`,
  )
  if (tally.callerErrors > 0 || ok < 2 || ra.requests.filter((r) => r.status === 201).length < 2)
    throw new Error('the demo expected every call to succeed and at least two refreshes')
  console.log(green('\n  Every call was served, through the outage too.'))
}

const main = async (): Promise<void> => {
  console.log(
    bold('aws-refresh-session demo') +
      (quick ? ' (quick)' : '') +
      dim(': local STS, IoT and Roles Anywhere emulators on 127.0.0.1, no AWS account'),
  )
  const t = timeline()
  const sts = await startStsEmulator({
    roles: [{ arn: ROLE, mfaRequired: true }],
    credentialLifetimeSeconds: plan.stsLifetime,
    mfa: { periodSeconds: plan.mfaStep },
  })
  const iot = await startIotEmulator({
    things: ['demo-thing'],
    roleAliases: { 'demo-device': { credentialDurationSeconds: plan.iotLifetime } },
  })
  const ra = await startRolesAnywhereEmulator({ credentialLifetimeSeconds: plan.raLifetime })
  console.log(
    dim(
      `  STS ${sts.endpoint} (credentials live ${plan.stsLifetime} s, MFA step ${plan.mfaStep} s); IoT ${iot.hostName} via ${iot.endpoint} (${plan.iotLifetime} s); Roles Anywhere ${ra.endpoint} (${plan.raLifetime} s)`,
    ),
  )
  try {
    summary(sts, iot, ra, await run(sts, iot, ra, t))
  } finally {
    await Promise.all([sts.close(), iot.close(), ra.close()])
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
