// npm run examples: runs every example against the emulators, one child process each,
// and fails if any exits non-zero or takes longer than 60 s.
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const here = __dirname
const tsx = require.resolve('tsx/cli')
const skip = new Set(['run-all.ts', 'demo.ts'])
const examples = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !skip.has(f))
  .sort()

const run = (file: string): Promise<{ file: string; ok: boolean; ms: number; output: string }> =>
  new Promise((resolve) => {
    const started = Date.now()
    execFile(
      process.execPath,
      [tsx, join(here, file)],
      {
        timeout: 60_000,
        env: {
          ...process.env,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          AWS_CRT_NODEJS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
        },
      },
      (error, stdout, stderr) =>
        resolve({ file, ok: error === null, ms: Date.now() - started, output: `${stdout}${stderr}` }),
    )
  })

const main = async (): Promise<void> => {
  let failed = 0
  for (const file of examples) {
    const r = await run(file)
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${file.padEnd(22)} ${(r.ms / 1000).toFixed(1)} s`)
    if (!r.ok) {
      failed += 1
      console.log(r.output.replace(/^/gm, '     | '))
    }
  }
  console.log(`examples: ${examples.length - failed} of ${examples.length} ran cleanly`)
  if (failed > 0) process.exitCode = 1
}

void main()
