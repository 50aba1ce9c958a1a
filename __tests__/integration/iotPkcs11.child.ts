// Runs fromIotCertificate with PKCS#11 keys in a fresh process, for iotPkcs11.test.ts.
// A child process because SoftHSM reads SOFTHSM2_CONF from the real environment when the
// module is first initialised, and Jest gives each test file only a copy of process.env.
import { inspect } from 'node:util'
import { fromIotCertificate } from '../../lib/sources/fromIotCertificate.js'

export type ChildInput = {
  readonly endpoint: string
  readonly connectTo: { readonly host: string; readonly port: number }
  readonly ca: string
  readonly certificate: string
  readonly pkcs11: {
    readonly library: string
    readonly pin: string
    readonly tokenLabel: string
    readonly keyLabel: string
  }
  readonly freshTokenLabel: string
}

export type ChildResult = {
  readonly name: string
  readonly ok: boolean
  readonly accessKeyIds?: readonly string[]
  readonly error?: {
    readonly name: string
    readonly code: string
    readonly statusCode?: number
    readonly message: string
    readonly inspected: string
  }
}

const run = async (
  name: string,
  input: ChildInput,
  overrides: Record<string, unknown>,
  calls = 1,
): Promise<ChildResult> => {
  const { pkcs11: pkcs11Overrides, ...rest } = overrides as { pkcs11?: Record<string, unknown> }
  const source = fromIotCertificate({
    endpoint: input.endpoint,
    connectTo: input.connectTo,
    ca: input.ca,
    certificate: input.certificate,
    pkcs11: { ...input.pkcs11, ...pkcs11Overrides },
    roleAlias: 'device-role',
    thingName: 'hsm-device',
    timeoutMs: 5000,
    ...rest,
  })
  try {
    const ids: string[] = []
    for (let i = 0; i < calls; i++) ids.push((await source()).accessKeyId)
    return { name, ok: true, accessKeyIds: ids }
  } catch (e) {
    const err = e as { name: string; code: string; statusCode?: number; message: string }
    return {
      name,
      ok: false,
      error: {
        name: err.name,
        code: err.code,
        ...(err.statusCode !== undefined && { statusCode: err.statusCode }),
        message: err.message,
        inspected: inspect(e, { depth: 5 }),
      },
    }
  } finally {
    source.close()
  }
}

const main = async (): Promise<void> => {
  const input = JSON.parse(process.env['IOT_PKCS11_CHILD_INPUT'] ?? '{}') as ChildInput
  // A wrong PIN runs first and on its own token: PKCS#11 logins last for the process.
  const results = [
    await run('wrong PIN', input, { pkcs11: { tokenLabel: input.freshTokenLabel, pin: '000999' } }),
    await run('happy path', input, {}, 3),
    await run('unknown alias', input, { roleAlias: 'no-such-alias' }),
    await run('missing key label', input, { pkcs11: { keyLabel: 'no-such-key' } }),
    await run('missing token', input, { pkcs11: { tokenLabel: 'no-such-token' } }),
  ]
  process.stdout.write(JSON.stringify(results))
}

void main()
