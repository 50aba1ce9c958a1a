// Builds dist/cjs (CommonJS) and dist/esm (ES modules), each with its own type
// declarations and a package.json that tells Node and TypeScript the module format.
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
rmSync('dist', { recursive: true, force: true })
const targets = [
  { dir: 'dist/cjs', module: 'CommonJS', moduleResolution: 'Node10', type: 'commonjs' },
  { dir: 'dist/esm', module: 'ES2022', moduleResolution: 'Bundler', type: 'module' },
]
for (const t of targets) {
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      'tsconfig.build.json',
      '--outDir',
      t.dir,
      '--module',
      t.module,
      '--moduleResolution',
      t.moduleResolution,
    ],
    { stdio: 'inherit' },
  )
  mkdirSync(t.dir, { recursive: true })
  // Bundlers read `sideEffects` from the nearest package.json, which is this one.
  writeFileSync(`${t.dir}/package.json`, JSON.stringify({ type: t.type, sideEffects: false }) + '\n')
}
