// Builds and packs the library as npm would publish it, checks that publint and attw report
// nothing, then hands the tarball to scripts/check-consumer.mjs, which installs it into a
// fresh project as a new user would (both entries with `require` and `import`, the
// executable, strict types, bundles run without node_modules).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
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
  run(process.execPath, [join(root, 'scripts', 'check-consumer.mjs'), join(work, out)])
} finally {
  rmSync(work, { recursive: true, force: true })
}
