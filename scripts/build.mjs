// Builds dist/esm (ES modules) and dist/cjs (CommonJS), each with its own type declarations
// and a package.json that tells Node and TypeScript the module format.
//
// The code ships bundled, as the AWS SDK's own packages do: one file per entry (`index`,
// `testing/index`, `cli/main`) with the modules it imports statically, and chunks under
// `chunks/` for what it reaches only through `await import()` (loaded when first used) and
// for code two entries share (so `CredentialError` is one class for all of them). Node then
// reads a handful of files at start instead of one per source module, and bundlers still
// tree-shake the ES modules. Dependencies stay external. Both formats come from one Rollup
// graph, so they have the same chunks and the same lazy boundaries.
//
//   node scripts/build.mjs               dist/ with type declarations (npm run build)
//   node scripts/build.mjs --out DIR     the code only, into DIR/esm and DIR/cjs (tests)
//
// Which source modules went into which file is written to .cache/build-manifest.json (with
// --out, DIR/manifest.json) for the package checks (scripts/consumerFiles.mjs); not shipped.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { transform } from 'esbuild'
import { rollup } from 'rollup'

const require = createRequire(import.meta.url)
const outIndex = process.argv.indexOf('--out')
const out = outIndex >= 0 ? process.argv[outIndex + 1] : 'dist'
if (!out) throw new Error('--out needs a directory')
const withTypes = outIndex < 0

const entries = ['index', 'testing/index', 'cli/main']
const formats = [
  { dir: 'esm', type: 'module', rollup: 'es' },
  { dir: 'cjs', type: 'commonjs', rollup: 'cjs' },
]

const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)],
  )
const writeFile = (file, text) => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

// 1. Each TypeScript module to an ES module (types erased, nothing bundled yet).
rmSync(out, { recursive: true, force: true })
const stage = join(out, '.stage')
for (const file of filesUnder('lib').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
  const { code } = await transform(readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: file,
    logLevel: 'warning',
  })
  writeFile(join(stage, relative('lib', file)).replace(/\.ts$/, '.js'), code)
}

// 2. Two module graphs, each written in both formats. The library's: the public entries and
// the CLI behind its cache hit. The executable's: `cli/main` alone, so that a cache hit reads
// one file; it reaches the rest of the CLI through `import('./runCli.js')`, a file of the first.
const LAZY_CLI = ['runCli', 'packageVersion']
const graphs = [
  {
    input: [...entries.filter((e) => e !== 'cli/main'), ...LAZY_CLI.map((m) => `cli/${m}`)],
    local: () => false,
    shared: true,
  },
  { input: ['cli/main'], local: (source) => LAZY_CLI.some((m) => source === `./${m}.js`) },
]
// The modules that both the entries and a lazily imported module use get a chunk of their own.
// A bundler must run a module that an `import()` reaches (and everything it imports) on demand,
// so esbuild wraps each such module in an initializer; kept apart, the rest of the shared code
// (the STS path, withRefresh, the client factory) stays plain, and smaller, in a user's bundle.
/** The library graph's `manualChunks`: those modules go to the chunk `shared` (worked out once). */
const sharedWithLazy = () => {
  let shared
  /** @type {import('rollup').GetManualChunk} */
  return (id, { getModuleIds, getModuleInfo }) => {
    if (!shared) {
      const local = (ids) => ids.filter((m) => getModuleInfo(m) && !getModuleInfo(m).isExternal)
      const closure = (starts) => {
        const seen = new Set()
        const visit = (m) => {
          if (seen.has(m)) return
          seen.add(m)
          for (const next of local(getModuleInfo(m).importedIds)) visit(next)
        }
        for (const m of starts) visit(m)
        return seen
      }
      const all = [...getModuleIds()]
      const root = all.find((m) => getModuleInfo(m).isEntry && m === resolve(stage, 'index.js'))
      if (!root) throw new Error('build: the root entry is missing from the graph')
      const eager = closure([root])
      const lazy = all.filter((m) => getModuleInfo(m).dynamicImporters.length > 0)
      const underLazy = closure(lazy.flatMap((m) => local(getModuleInfo(m).importedIds)))
      shared = new Set([...underLazy].filter((m) => eager.has(m) && !lazy.includes(m)))
    }
    return shared.has(id) ? 'shared' : undefined
  }
}
const manifest = {}
for (const graph of graphs) {
  const bundle = await rollup({
    input: Object.fromEntries(graph.input.map((e) => [e, join(stage, `${e}.js`)])),
    // Packages (the SDK, smithy, fp-ts, otplib...) and Node built-ins are the user's to install.
    external: (id) => graph.local(id) || (!id.startsWith('.') && !id.startsWith('/')),
    makeAbsoluteExternalsRelative: false,
    // The entries export exactly what the sources export; shared code goes to chunks.
    preserveEntrySignatures: 'strict',
    // The package declares `sideEffects: false`: a module nobody uses is left out.
    treeshake: { moduleSideEffects: false },
    onwarn: (warning) => {
      throw new Error(`rollup: ${warning.message}`)
    },
  })
  const manualChunks = graph.shared ? sharedWithLazy() : undefined
  for (const f of formats) {
    const { output } = await bundle.write({
      dir: join(out, f.dir),
      format: f.rollup,
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      manualChunks,
      // In CommonJS, getters as `function` expressions: Node's ESM loader (cjs-module-lexer)
      // finds named exports such as `pipe` only in that form.
      generatedCode: f.dir === 'cjs' ? { preset: 'es2015', arrowFunctions: false } : 'es2015',
      // CommonJS: `import()` of a chunk or an optional package becomes a `require()` when it
      // runs, as TypeScript compiles it, so bundlers and Node's CommonJS loader both follow it.
      dynamicImportInCjs: false,
      interop: 'auto',
      // No bare `import './chunk.js'` of what a chunk's imports already load: bundlers warn
      // about such an import of a side-effect-free package, and it saves Node nothing.
      hoistTransitiveImports: false,
    })
    for (const chunk of output)
      if (chunk.type === 'chunk')
        manifest[`${f.dir}/${chunk.fileName}`] = chunk.moduleIds.map((id) =>
          join('lib', relative(stage, id)).split(sep).join('/').replace(/\.js$/, '.ts'),
        )
  }
  await bundle.close()
}
rmSync(stage, { recursive: true, force: true })
writeFile(
  withTypes ? '.cache/build-manifest.json' : join(out, 'manifest.json'),
  JSON.stringify(manifest, null, 1) + '\n',
)

// 3. Declarations: the same for both formats (each folder's package.json gives the format).
if (withTypes) {
  const tsc = require.resolve('typescript/bin/tsc')
  const types = join(out, '.types')
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', types], {
    stdio: 'inherit',
  })
  for (const file of filesUnder(types)) {
    const text = readFileSync(file)
    for (const f of formats) writeFile(join(out, f.dir, relative(types, file)), text)
  }
  rmSync(types, { recursive: true, force: true })
}
// Bundlers read `sideEffects` from the nearest package.json, which is this one.
for (const f of formats)
  writeFile(join(out, f.dir, 'package.json'), JSON.stringify({ type: f.type, sideEffects: false }) + '\n')
