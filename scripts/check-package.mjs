// Packs the library as npm would publish it, installs the tarball into a fresh project
// (offline: the project's node_modules supply the dependencies), and checks that
// `require` and `import` work for `.` and `./testing`, that types resolve under
// moduleResolution node16 and bundler, and that publint and attw report nothing; then
// scripts/check-consumer.mjs installs the tarball as a new user would (bundles, strict types).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const run = (cmd, args, cwd = root) =>
  execFileSync(cmd, args, {
    cwd,
    stdio: 'inherit',
    env: {
      ...process.env,
      npm_config_update_notifier: 'false',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  })
const bin = (name) => join(root, 'node_modules', '.bin', name)

run(process.execPath, ['scripts/build.mjs'])
run(bin('publint'), ['--strict'])
run(bin('attw'), ['--pack', '.'])

const work = mkdtempSync(join(tmpdir(), 'ars-pack-'))
try {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()
  const project = join(work, 'consumer')
  const modules = join(project, 'node_modules')
  mkdirSync(join(modules, 'aws-refresh-session'), { recursive: true })
  run('tar', ['-xzf', join(work, out), '-C', join(modules, 'aws-refresh-session'), '--strip-components=1'])
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name !== 'aws-refresh-session' && name !== '.bin')
      symlinkSync(join(root, 'node_modules', name), join(modules, name))
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }))
  writeFileSync(
    join(project, 'smoke.cjs'),
    `
const { withRefresh, fromAssumeRole, pipe, CredentialError } = require('aws-refresh-session')
const { startStsEmulator } = require('aws-refresh-session/testing')
;(async () => {
  const sts = await startStsEmulator()
  const credentials = pipe(fromAssumeRole({ RoleArn: sts.roleArns[0] }, { source: async () => sts.baseCredentials, region: sts.region, clientConfig: { endpoint: sts.endpoint } }), withRefresh())
  const c = await credentials()
  if (!c.sessionToken || typeof CredentialError !== 'function') throw new Error('require: bad result')
  credentials.close(); await sts.close(); console.log('require: ok')
})().catch((e) => { console.error(e); process.exit(1) })
`,
  )
  writeFileSync(
    join(project, 'smoke.mjs'),
    `
import { withRefresh, fromAssumeRole, pipe, isCredentialError } from 'aws-refresh-session'
import { startStsEmulator } from 'aws-refresh-session/testing'
const sts = await startStsEmulator()
const credentials = pipe(fromAssumeRole({ RoleArn: sts.roleArns[0] }, { source: async () => sts.baseCredentials, region: sts.region, clientConfig: { endpoint: sts.endpoint } }), withRefresh())
const c = await credentials()
if (!c.sessionToken || typeof isCredentialError !== 'function') throw new Error('import: bad result')
credentials.close(); await sts.close(); console.log('import: ok')
`,
  )
  writeFileSync(
    join(project, 'consumer.ts'),
    `
import { pipe, withRefresh, fromCallable, type RefreshingProvider } from 'aws-refresh-session'
import { startStsEmulator, type StsEmulator } from 'aws-refresh-session/testing'
export const provider: RefreshingProvider = pipe(fromCallable(() => ({ accessKeyId: 'a', secretAccessKey: 'b' })), withRefresh())
export const start: () => Promise<StsEmulator> = startStsEmulator
`,
  )
  run(process.execPath, ['smoke.cjs'], project)
  run(process.execPath, ['smoke.mjs'], project)
  run(process.execPath, [join(modules, 'aws-refresh-session', 'dist', 'cjs', 'cli', 'main.js'), '--help'], project)
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  for (const [module, resolution] of [
    ['node16', 'node16'],
    ['esnext', 'bundler'],
  ]) {
    run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--types',
        'node',
        '--module',
        module,
        '--moduleResolution',
        resolution,
        'consumer.ts',
      ],
      project,
    )
    console.log(`types (${resolution}): ok`)
  }
  // The same tarball in a fresh project that installs only it and its required peers.
  run(process.execPath, [join(root, 'scripts', 'check-consumer.mjs'), join(work, out)])
} finally {
  rmSync(work, { recursive: true, force: true })
}
