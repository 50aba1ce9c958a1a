// Fails when the modules of lib/ import each other in a cycle. Every import, `export ... from`,
// `import()` and `require()` counts, type-only ones included: a type-only cycle is still two
// files that cannot be read, moved or owned apart. Resolution is the compiler's own, with the
// options of tsconfig.json. Usage: node scripts/check-cycles.mjs [folder, default lib]
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'

const root = resolve(import.meta.dirname, '..')
const folder = resolve(root, process.argv[2] ?? 'lib')

const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile)
const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root)

const sourceFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(path)
    return /\.(c|m)?tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : []
  })

/** The files of `folder` that `file` imports, by the compiler's resolution. */
const importsOf = (file) => {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
  return importedFiles.flatMap(({ fileName }) => {
    const resolved = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule?.resolvedFileName
    return resolved !== undefined && resolved.startsWith(folder + '/') && !resolved.endsWith('.d.ts') ? [resolved] : []
  })
}

const files = sourceFiles(folder)
const graph = new Map(files.map((f) => [f, [...new Set(importsOf(f))]]))

/** Strongly connected components (Tarjan); each with more than one file, or a file importing itself, holds a cycle. */
const components = () => {
  const index = new Map(),
    low = new Map(),
    stack = [],
    onStack = new Set(),
    found = []
  let next = 0
  const visit = (v) => {
    index.set(v, next)
    low.set(v, next)
    next += 1
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v), low.get(w)))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)))
    }
    if (low.get(v) !== index.get(v)) return
    const component = []
    for (let w; w !== v;) {
      w = stack.pop()
      onStack.delete(w)
      component.push(w)
    }
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component)
  }
  for (const f of files) if (!index.has(f)) visit(f)
  return found
}

/** One shortest cycle through `start` inside `component`, as a path of files. */
const cycleThrough = (start, component) => {
  const inside = new Set(component)
  const previous = new Map([[start, undefined]])
  const queue = [start]
  while (queue.length > 0) {
    const v = queue.shift()
    for (const w of graph.get(v) ?? []) {
      if (w === start) {
        const path = [v]
        for (let p = previous.get(v); p !== undefined; p = previous.get(p)) path.unshift(p)
        return [...path, start]
      }
      if (inside.has(w) && !previous.has(w)) {
        previous.set(w, v)
        queue.push(w)
      }
    }
  }
  return [start]
}

const cycles = components()
const name = (f) => relative(root, f)
if (cycles.length === 0) {
  console.log(`check-cycles: no import cycles among ${files.length} files of ${name(folder)}/`)
} else {
  console.error(`check-cycles: ${cycles.length} import cycle(s) in ${name(folder)}/ (type-only imports count):`)
  for (const c of cycles) {
    const start = [...c].sort()[0]
    console.error(`- ${c.length} file(s): ${cycleThrough(start, c).map(name).join(' -> ')}`)
    if (c.length > 2) console.error(`  all of: ${c.map(name).sort().join(', ')}`)
  }
  process.exitCode = 1
}
