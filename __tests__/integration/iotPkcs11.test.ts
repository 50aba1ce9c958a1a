import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSoftHsmToken } from '../../lib/testing/createSoftHsmToken.js'
import { startIotEmulator, type IotEmulator } from '../../lib/testing/startIotEmulator.js'
import type { ChildInput, ChildResult } from './iotPkcs11.child.js'
import { hasSystemPackage } from '../support/systemPackages.js'

// Skipped with one line when softhsm2 is missing; CI (.ci/run) installs it and forbids the skip. The tokens live in this file's temp directory; the
// source runs in a child process that gets SOFTHSM2_CONF in its real environment.
const PIN = '731946'
let iot: IotEmulator
let dir: string
let results: Map<string, ChildResult>
const withSoftHsm = hasSystemPackage('softhsm2', 'fromIotCertificate with a PKCS#11 key')
const describeHsm = withSoftHsm ? describe : describe.skip

const runChild = (input: ChildInput, conf: string): Promise<ChildResult[]> =>
  new Promise((resolve, reject) => {
    const env = {
      ...process.env,
      SOFTHSM2_CONF: conf,
      IOT_PKCS11_CHILD_INPUT: JSON.stringify(input),
      AWS_CRT_NODEJS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
    }
    execFile(
      process.execPath,
      [require.resolve('tsx/cli'), join(__dirname, 'iotPkcs11.child.ts')],
      { env, timeout: 60_000 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`child failed: ${error.message}\n${stderr}`))
          : resolve(JSON.parse(stdout) as ChildResult[]),
    )
  })

if (withSoftHsm)
  beforeAll(async () => {
    iot = await startIotEmulator({ things: ['hsm-device'] })
    dir = mkdtempSync(join(tmpdir(), 'iot-pkcs11-'))
    const token = await createSoftHsmToken({ dir, pin: PIN, label: 'iot-main', privateKeyPem: iot.device.privateKey })
    const fresh = await createSoftHsmToken({ dir, pin: PIN, label: 'iot-fresh', privateKeyPem: iot.device.privateKey })
    const input: ChildInput = {
      endpoint: iot.hostName,
      connectTo: iot.address,
      ca: iot.ca,
      certificate: iot.device.certificate,
      pkcs11: { library: token.library, pin: token.pin, tokenLabel: token.tokenLabel, keyLabel: token.keyLabel },
      freshTokenLabel: fresh.tokenLabel,
    }
    results = new Map((await runChild(input, token.env.SOFTHSM2_CONF)).map((r) => [r.name, r]))
  }, 60_000)
if (withSoftHsm)
  afterAll(async () => {
    await iot.close()
    rmSync(dir, { recursive: true, force: true })
  })

describeHsm('fromIotCertificate with a PKCS#11 key (SoftHSM2 through aws-crt)', () => {
  it('gets credentials with the key held in the token, on every call', () => {
    expect(results.get('happy path')).toMatchObject({
      ok: true,
      accessKeyIds: [expect.stringMatching(/^ASIA/), expect.stringMatching(/^ASIA/), expect.stringMatching(/^ASIA/)],
    })
    const ok = iot.requests.filter((r) => r.status === 200)
    expect(ok).toHaveLength(3)
    for (const r of ok) {
      expect(r).toMatchObject({
        clientCertificateFingerprint: iot.device.fingerprint,
        servername: iot.hostName,
        thingName: 'hsm-device',
      })
      expect(r.headers['host']).toBe(iot.hostName)
    }
  })

  it('maps IoT refusals as with PEM keys', () => {
    expect(results.get('unknown alias')?.error).toMatchObject({
      name: 'CredentialError',
      code: 'IotRejected',
      statusCode: 404,
    })
  })

  it('reports a wrong PIN as InvalidConfiguration, without the PIN', () => {
    const error = results.get('wrong PIN')?.error
    expect(error).toMatchObject({
      name: 'CredentialError',
      code: 'InvalidConfiguration',
      message: expect.stringMatching(/PIN_INCORRECT/),
    })
    expect(`${error?.message} ${error?.inspected}`).not.toMatch(/000999|731946/)
  })

  it('reports a missing key label and a missing token as InvalidConfiguration', () => {
    expect(results.get('missing key label')?.error).toMatchObject({
      code: 'InvalidConfiguration',
      message: expect.stringMatching(/KEY_NOT_FOUND.*keyLabel/),
    })
    expect(results.get('missing token')?.error).toMatchObject({
      code: 'InvalidConfiguration',
      message: expect.stringMatching(/TOKEN_NOT_FOUND/),
    })
  })

  it('sends nothing to IoT when the key cannot be used', () => {
    expect(iot.requests.map((r) => r.status).sort()).toEqual([200, 200, 200, 404])
  })
})
