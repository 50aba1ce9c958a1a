/**
 * withFileCache: several processes share one fetch and one MFA code. Three child processes
 * of this script start together against the local STS emulator; one calls GetSessionToken
 * (with one TOTP code), the others wait for its file. Run: npx tsx examples/file-cache.ts
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromSessionToken, pipe, totp, withFileCache, withMfa, withRefresh } from '../lib/index.js'
import { startStsEmulator } from '../lib/testing/index.js'

type Emulator = {
  endpoint: string
  region: string
  baseCredentials: { accessKeyId: string; secretAccessKey: string }
  mfa: { serialNumber: string; secret: string }
}

/** One worker process: the pipe, one call, the key id on stdout. */
const worker = async (sts: Emulator, dir: string): Promise<void> => {
  const credentials = pipe(
    fromSessionToken(
      { SerialNumber: sts.mfa.serialNumber },
      { source: async () => sts.baseCredentials, clientConfig: { endpoint: sts.endpoint, region: sts.region } },
    ),
    withMfa(totp(sts.mfa.secret)),
    // The key names the identity: the base user and the endpoint (never a secret).
    withFileCache({
      key: { action: 'GetSessionToken', base: sts.baseCredentials.accessKeyId, endpoint: sts.endpoint },
      dir,
    }),
    withRefresh(),
  )
  console.log(`worker ${process.pid}: session key …${(await credentials()).accessKeyId.slice(-4)}`)
  credentials.close()
}

const run = (env: NodeJS.ProcessEnv): Promise<string> =>
  new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [require.resolve('tsx/cli'), __filename],
      { env: { ...process.env, ...env } },
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- execFile's error is an Error; @types/node's ExecFileException type omits it
      (e, out) => (e ? reject(e) : resolve(out.trim())),
    ),
  )

const main = async (): Promise<void> => {
  const sts = await startStsEmulator()
  const dir = mkdtempSync(join(tmpdir(), 'file-cache-'))
  try {
    const env = {
      FILE_CACHE_WORKER: JSON.stringify({
        endpoint: sts.endpoint,
        region: sts.region,
        baseCredentials: sts.baseCredentials,
        mfa: sts.mfa,
      }),
      FILE_CACHE_DIR: dir,
    }
    for (const line of await Promise.all([run(env), run(env), run(env)])) console.log(line)
    const calls = sts.requests.filter((r) => r.action === 'GetSessionToken').length
    console.log(`GetSessionToken calls: ${calls} (one fetch, one MFA code, for three processes)`)
    if (calls !== 1) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await sts.close()
  }
}

const role = process.env['FILE_CACHE_WORKER']
;(role === undefined ? main() : worker(JSON.parse(role) as Emulator, process.env['FILE_CACHE_DIR']!)).catch(
  (e: unknown) => {
    console.error(e)
    process.exitCode = 1
  },
)
