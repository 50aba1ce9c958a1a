// Helpers of the real-process CLI tests: the CLI built once per source state, the STS
// emulator in its own process, and child processes run to completion.
import { type ChildProcess, execFileSync, spawn, type SpawnOptions } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { createInterface } from 'node:readline'

const ROOT = join(__dirname, '..', '..', '..')
export const TSX = require.resolve('tsx/cli')

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : []
  })

/**
 * The CLI as `npm run build` makes it (scripts/build.mjs, the code only), in a folder named
 * by the hash of lib/: built once, then reused by every test file and run until lib changes.
 * Returns the path of its CommonJS main.js (dist/cjs/cli/main.js in the package).
 */
export const builtCli = (): string => {
  const hash = createHash('sha256')
  for (const f of sources(join(ROOT, 'lib')).sort()) hash.update(relative(ROOT, f)).update(readFileSync(f))
  hash.update(readFileSync(join(ROOT, 'scripts', 'build.mjs')))
  const out = join(ROOT, 'node_modules', '.cache', `ars-build-${hash.digest('hex').slice(0, 16)}`)
  const main = join(out, 'cjs', 'cli', 'main.js')
  if (existsSync(main)) return main
  const temp = `${out}.${process.pid}`
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--out', temp], { cwd: ROOT, stdio: 'inherit' })
  try {
    renameSync(temp, out)
  } catch {
    rmSync(temp, { recursive: true, force: true }) // another worker built it meanwhile
  }
  return main
}

/**
 * The source modules (`lib/...ts`) inside the built files a process loaded, from the build's
 * manifest: the code ships bundled, so a file name no longer tells what it holds.
 */
export const builtModules = (main: string, files: readonly string[]): string[] => {
  const out = dirname(dirname(dirname(main)))
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, string[]>
  return files
    .filter((f) => f.startsWith(out + sep))
    .flatMap((f) => {
      const modules = manifest[relative(out, f).split(sep).join('/')]
      if (!modules) throw new Error(`${f} is not in the build manifest`)
      return modules
    })
}

export type Run = {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

/** Runs a child to its end (killed after `timeoutMs`), with stdin closed. */
export const runChild = (
  file: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<Run> =>
  new Promise((resolve, reject) => {
    const started = Date.now()
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => (stdout += String(d)))
    child.stderr?.on('data', (d: Buffer) => (stderr += String(d)))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started })
    })
  })

/** The built CLI as a child: `node main.js ...args`. */
export const runCliProcess = (
  main: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<Run> => runChild(process.execPath, [main, ...args], options)

export type StsProcess = {
  readonly endpoint: string
  readonly region: string
  readonly baseCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  readonly mfa: { readonly serialNumber: string; readonly secret: string }
  readonly roleArns: readonly string[]
  readonly requests: () => Promise<{ action: string; accessKeyId?: string; status: number; tokenCode?: string }[]>
  readonly session: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }>
  readonly close: () => Promise<void>
}

/** Starts the STS emulator in its own process (support/stsChild.ts through tsx). */
export const startStsProcess = async (): Promise<StsProcess> => {
  const child: ChildProcess = spawn(process.execPath, [TSX, join(__dirname, 'stsChild.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  const waiting: ((line: string) => void)[] = []
  lines.on('line', (line) => waiting.shift()?.(line))
  const next = <T>(command?: string): Promise<T> =>
    new Promise((resolve) => {
      waiting.push((line) => resolve(JSON.parse(line) as T))
      if (command !== undefined) child.stdin!.write(`${command}\n`)
    })
  const info = await next<Omit<StsProcess, 'requests' | 'session' | 'close'>>()
  return {
    ...info,
    requests: () => next('requests'),
    session: () => next('session'),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.stdin!.end()
      }),
  }
}
