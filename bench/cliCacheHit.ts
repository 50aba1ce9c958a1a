// The CLI's cache hit as the AWS CLI runs it: a fresh `node dist/cjs/cli/main.js
// credential-process ...` process on a warm cache, against `node -e 0`. One run against the
// STS emulator warms the cache; every timed run must print the same session and call STS
// no more, so a miss cannot pass for a fast hit.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { distPath, root, testing } from './dist'
import { type Figure, fmtMs, heading, smoke } from './harness'
import { childEnv, type ProcessCandidate, timeProcesses } from './procs'

const warm = (args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`credential-process exited ${code}: ${err.slice(0, 500)}`)),
    )
  })

export const cliCacheHit = async (): Promise<Figure[]> => {
  const rounds = smoke ? 2 : 15
  heading(`CLI credential-process cache hit, fresh processes, median of ${rounds} interleaved rounds`)
  const sts = await testing().startStsEmulator()
  const home = mkdtempSync(join(tmpdir(), 'ars-bench-'))
  const env = childEnv({
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: sts.baseCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sts.baseCredentials.secretAccessKey,
  })
  const args = [
    distPath('cjs/cli/main.js'),
    'credential-process',
    '--assume-role',
    sts.roleArns[0] ?? '',
    '--endpoint-url',
    sts.endpoint,
    '--region',
    sts.region,
    '--cache-dir',
    join(home, 'cache'),
  ]
  try {
    const first = JSON.parse(await warm(args, env)) as { AccessKeyId?: string }
    const check = (stdout: string): void => {
      if ((JSON.parse(stdout) as { AccessKeyId?: string }).AccessKeyId !== first.AccessKeyId)
        throw new Error('credential-process printed another session: not a cache hit')
    }
    const candidates: ProcessCandidate[] = [
      { name: 'floor', args: ['-e', '0'] },
      { name: 'hit', args, env, check },
    ]
    const t = await timeProcesses(candidates, rounds, root)
    const [hit, floor] = [t.get('hit') ?? Number.NaN, t.get('floor') ?? Number.NaN]
    const calls = sts.requests.filter((r) => r.action === 'AssumeRole').length - 1
    return [
      {
        label: 'credential-process on a warm cache vs node -e 0',
        value: fmtMs(hit),
        anchor: fmtMs(floor),
        ratio: hit / floor,
        target: '<= 1.15x',
        ok: hit / floor <= 1.15,
      },
      {
        label: `AssumeRole calls during the ${rounds + 1} timed hit runs`,
        value: String(calls),
        target: '0',
        ok: calls === 0,
      },
    ]
  } finally {
    await sts.close()
    rmSync(home, { recursive: true, force: true })
  }
}
