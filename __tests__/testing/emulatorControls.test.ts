// The controls the three emulators share: one fault vocabulary, one reset, one request log
// shape, in-flight counts; and the names of 0.1.0, kept working for one release.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { request as httpRequest } from 'node:http'
import { request } from 'node:https'
import { fromRolesAnywhere } from '../../lib/sources/fromRolesAnywhere'
import type { EmulatorControls, EmulatorFault, EmulatorRequestRecord } from '../../lib/testing'
import { startIotEmulator, type IotEmulator } from '../../lib/testing/startIotEmulator'
import { startRolesAnywhereEmulator, type RolesAnywhereEmulator } from '../../lib/testing/startRolesAnywhereEmulator'
import { startStsEmulator, type StsEmulator } from '../../lib/testing/startStsEmulator'
import { rolesAnywhereOptions } from '../support/emulatorSources'
import { stsClient } from '../support/stsFixture'

const NOW = Date.now()
const now = (): number => NOW

/** One emulator behind the same three functions: one call (its status), its log, its controls. */
type Subject = {
  readonly call: () => Promise<number>
  readonly log: () => readonly EmulatorRequestRecord[]
  readonly controls: EmulatorControls
  readonly action: string
  readonly path: string
}

/** Polls `condition` every 5 ms, for at most half a second. */
const waitFor = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 5))
}

const statusOf = (e: unknown): number =>
  (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1

let sts: StsEmulator
let iot: IotEmulator
let ra: RolesAnywhereEmulator
const subjects: Record<'sts' | 'iot' | 'roles-anywhere', () => Subject> = {
  sts: () => ({
    call: () =>
      stsClient(sts)
        .send(new GetCallerIdentityCommand({}))
        .then(() => 200, statusOf),
    log: () => sts.requests,
    controls: sts,
    action: 'GetCallerIdentity',
    path: '/',
  }),
  iot: () => ({
    call: () => iotCredentials().then((r) => r.status),
    log: () => iot.requests,
    controls: iot,
    action: 'AssumeRoleWithCertificate',
    path: '/role-aliases/device-role/credentials',
  }),
  'roles-anywhere': () => ({
    call: () =>
      fromRolesAnywhere({ ...rolesAnywhereOptions(ra), now })().then(
        () => 201,
        () => ra.requests.at(-1)?.status ?? -1,
      ),
    log: () => ra.requests,
    controls: ra,
    action: 'CreateSession',
    path: '/sessions',
  }),
}

beforeAll(async () => {
  ;[sts, iot, ra] = await Promise.all([
    startStsEmulator({ now }),
    startIotEmulator({ now }),
    startRolesAnywhereEmulator({ now }),
  ])
})
afterEach(() => {
  sts.reset()
  iot.reset()
  ra.reset()
})
afterAll(() => Promise.all([sts.close(), iot.close(), ra.close()]))

describe.each(Object.keys(subjects) as (keyof typeof subjects)[])('%s emulator controls', (name) => {
  const ok = name === 'roles-anywhere' ? 201 : 200

  it('fault() hits `count` requests of its action; the log records action, path, time and status', async () => {
    const s = subjects[name]()
    s.controls.fault({ kind: 'status', status: 503, count: 2, action: s.action })
    s.controls.fault({ kind: 'throttle', action: 'SomeOtherAction' })
    expect([await s.call(), await s.call(), await s.call()]).toEqual([503, 503, ok])
    expect(s.log().map((r) => ({ action: r.action, path: r.path, time: r.time, status: r.status }))).toEqual(
      [503, 503, ok].map((status) => ({ action: s.action, path: s.path, time: NOW, status })),
    )
  })

  it('reset() drops pending faults and recorded requests', async () => {
    const s = subjects[name]()
    s.controls.fault({ kind: 'status', status: 500, count: Infinity })
    expect(await s.call()).toBe(500)
    s.controls.reset()
    expect(s.log()).toEqual([])
    expect(await s.call()).toBe(ok)
  })

  it('counts requests in flight: a delay holds two at once, reset() starts the peak again', async () => {
    const s = subjects[name]()
    const delay: EmulatorFault = { kind: 'delay', ms: 400, count: 2 }
    s.controls.fault(delay)
    const calls = Promise.all([s.call(), s.call()])
    // Both arrive within the delay, however slow the handshakes of a busy machine.
    await waitFor(() => s.controls.inFlight() === 2)
    expect(s.controls.inFlight()).toBe(2)
    expect(await calls).toEqual([ok, ok])
    expect(s.controls.peakInFlight()).toBe(2)
    // The client may read the end of an answer before the server sees its response close.
    await waitFor(() => s.controls.inFlight() === 0)
    expect(s.controls.inFlight()).toBe(0)
    s.controls.reset()
    expect(s.controls.peakInFlight()).toBe(0)
  })
})

describe('the names of 0.1.0 (deprecated) still work', () => {
  it('STS: inject({ type }), clearFaults(), clearRequests()', async () => {
    const s = subjects.sts()
    sts.inject({ type: 'status', status: 503, action: 'GetCallerIdentity', count: 2 })
    expect(await s.call()).toBe(503)
    sts.clearFaults()
    expect(await s.call()).toBe(200)
    sts.clearRequests()
    expect(sts.requests).toEqual([])
  })

  it('IoT: inject({ type }) with `expired` and `times`', async () => {
    const s = subjects.iot()
    iot.inject({ type: 'status', status: 429, times: 2 })
    iot.inject({ type: 'expired' })
    expect([await s.call(), await s.call(), await s.call()]).toEqual([429, 429, 200])
    iot.reset()
    iot.inject({ type: 'expired' })
    const expired = await iotCredentials()
    expect(expired.status).toBe(200)
    const { credentials } = JSON.parse(expired.body) as { credentials: { expiration: string } }
    expect(Date.parse(credentials.expiration)).toBeLessThan(NOW)
  })

  it('Roles Anywhere: inject({ type }), clearFaults(), clearRequests()', async () => {
    const s = subjects['roles-anywhere']()
    ra.inject({ type: 'throttle', count: 5 })
    expect(await s.call()).toBe(429)
    ra.clearFaults()
    expect(await s.call()).toBe(201)
    ra.clearRequests()
    expect(ra.requests).toEqual([])
  })
})

/** A GET of the IoT credentials of `device-role` with the emulator's device certificate. */
describe('close()', () => {
  /** A POST that the test does not wait for an answer to (the connection ends at close). */
  const post = (endpoint: string, path: string): Promise<void> =>
    new Promise((resolve) => {
      const req = httpRequest(`${endpoint}${path}`, { method: 'POST', agent: false }, (res) => res.resume())
      req.on('error', () => resolve())
      req.on('close', () => resolve())
      req.end('Action=GetCallerIdentity&Version=2011-06-15')
    })
  const fresh = {
    sts: async () => {
      const e = await startStsEmulator({ now })
      return { emulator: e, send: () => post(e.endpoint, '/') }
    },
    iot: async () => {
      const e = await startIotEmulator({ now })
      return {
        emulator: e,
        send: () =>
          iotCredentials(e).then(
            () => undefined,
            () => undefined,
          ),
      }
    },
    'roles-anywhere': async () => {
      const e = await startRolesAnywhereEmulator({ now })
      return { emulator: e, send: () => post(e.endpoint, '/sessions') }
    },
  }

  it.each(Object.keys(fresh) as (keyof typeof fresh)[])(
    '%s: clears the timer of a pending delay, so it never keeps the process alive',
    async (name) => {
      const { emulator, send } = await fresh[name]()
      // Only the emulator's own timers are fake: sockets and polling stay real.
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'performance', 'hrtime'] })
      try {
        emulator.fault({ kind: 'delay', ms: 60_000 })
        const sent = send()
        const deadline = performance.now() + 5000
        while (jest.getTimerCount() === 0 && performance.now() < deadline) await new Promise((r) => setImmediate(r))
        expect(jest.getTimerCount()).toBe(1)
        await emulator.close()
        expect(jest.getTimerCount()).toBe(0)
        await sent
      } finally {
        jest.useRealTimers()
      }
    },
  )
})

const iotCredentials = (emulator: IotEmulator = iot): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: emulator.address.port,
        servername: emulator.hostName,
        path: '/role-aliases/device-role/credentials',
        agent: false,
        ca: emulator.ca,
        cert: emulator.device.certificate,
        key: emulator.device.privateKey,
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
