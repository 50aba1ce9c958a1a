// Compiles every @example of the library's doc comments: each ```ts block under an @example
// tag in lib/**/*.ts becomes its own module in .cache/doc-examples/, with a prelude that imports
// the whole public API (both entry points) and declares the free names examples use as
// placeholders (RoleArn, mfaArn, ...) in a global declaration file. tsc checks them with the repository's compiler options;
// any error fails the script, reported at the example's line in lib/.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, '.cache', 'doc-examples')

/** Names the examples use without defining them: values a reader fills in. */
const PLACEHOLDERS = `
type Api = typeof import('../../lib/index.js')
type Device = import('../../lib/testing/index.js').TestCertificate
declare const RoleArn: string
declare const SerialNumber: string
declare const ExternalId: string
declare const mfaArn: string
declare const account: string
declare const endpoint: string
declare const roleAlias: string
declare const dir: string
declare const device: Device
declare const e: unknown
declare const sts: import('../../lib/testing/index.js').StsEmulator
declare const iot: import('../../lib/testing/index.js').IotEmulator
declare const credentials: ReturnType<ReturnType<Api['withRefresh']>>
declare const clients: import('../../lib/index.js').ClientFactory
declare const vault: { read: (path: string) => Promise<{ accessKeyId: string; secretAccessKey: string }> }
declare const retryLater: () => void
declare const askAgain: () => void
`

// SDK clients and commands the examples construct, imported for real so their types are checked.
const SDK_IMPORTS = `
import { S3Client, ListBucketsCommand, GetObjectCommand } from '@aws-sdk/client-s3'
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { fromIni, fromNodeProviderChain, fromEnv } from '@aws-sdk/credential-providers'
`

const exportedNames = (file) => {
  const text = readFileSync(join(root, file), 'utf8')
  const names = []
  for (const [, list] of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const item of list.split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
      if (name) names.push(name)
    }
  return names
}

/** The values a module exports by declaration (`export const x`), for examples of non-entry modules. */
const ownExports = (file) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/^export (?:const|function|type) (\w+)/gm)].map((m) => m[1])

const walk = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )

/** The ```ts blocks of each @example, with the lib line where each block's code starts. */
const examplesOf = (file) => {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const found = []
  let inExample = false
  let block
  lines.forEach((raw, i) => {
    const line = raw.replace(/^\s*\*\s?/, '')
    if (block) {
      if (/^```/.test(line.trim())) {
        found.push(block)
        block = undefined
      } else block.code.push(line)
    } else if (/^\s*\*\s*@example/.test(raw) || /^\s*\/\*\*\s*@example/.test(raw)) inExample = true
    else if (inExample && /^```(ts|typescript)\s*$/.test(line.trim())) block = { file, line: i + 2, code: [] }
    else if (/^\s*\*\s*@\w+/.test(raw) || /\*\/\s*$/.test(raw)) inExample = false
  })
  return found
}

const main = () => {
  const main = exportedNames('lib/index.ts')
  const testing = exportedNames('lib/testing/index.ts').filter((n) => !main.includes(n))
  const prelude = [
    `import { ${main.join(', ')} } from '../../lib/index.js'`,
    `import { ${testing.join(', ')} } from '../../lib/testing/index.js'`,
    SDK_IMPORTS.trim(),
    'export {}',
    '',
  ].join('\n')
  const preludeLines = prelude.split('\n').length - 1
  const examples = walk('lib').sort().flatMap(examplesOf)
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const origin = new Map()
  examples.forEach((e, n) => {
    const name = `${String(n).padStart(3, '0')}-${e.file.replace(/^lib\//, '').replace(/[/.]/g, '_')}.ts`
    const own = ownExports(e.file).filter((x) => !main.includes(x) && !testing.includes(x))
    const ownImport =
      own.length === 0 ? '' : `import { ${own.join(', ')} } from '../../${e.file.replace(/\.ts$/, '.js')}'; `
    writeFileSync(join(out, name), prelude + ownImport + e.code.join('\n') + '\n')
    origin.set(name, e)
  })
  // A global script: an example that defines one of these names shadows it.
  writeFileSync(join(out, 'placeholders.d.ts'), PLACEHOLDERS.trimStart())
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify(
      {
        extends: '../../tsconfig.json',
        // The prelude imports every export; an example uses a few.
        compilerOptions: { noUnusedLocals: false, noUnusedParameters: false },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  )
  let output = ''
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json'), '--pretty', 'false'],
      { encoding: 'utf8' },
    )
  } catch (e) {
    output = `${e.stdout ?? ''}${e.stderr ?? ''}`
    if (!output) throw e
  }
  const errors = output
    .split('\n')
    .filter((l) => l.includes('error TS'))
    .map((l) => {
      const m = /([^/\\(]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(l)
      const e = m && origin.get(m[1])
      return e ? `${e.file}:${e.line + Number(m[2]) - 1 - preludeLines}:${m[3]} (@example) ${m[4]}` : l
    })
  if (errors.length > 0) {
    console.error(errors.join('\n'))
    console.error(
      `check-examples-in-docs: ${errors.length} error(s) in the @example blocks of lib/ (generated files in ${relative(root, out)})`,
    )
    process.exit(1)
  }
  console.log(`check-examples-in-docs: ${examples.length} @example blocks compile`)
}

main()
