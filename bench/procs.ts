// Fresh processes timed from spawn to exit, interleaved round by round with a rotating
// order; medians in milliseconds. Every child's output is kept so a suite can check it.
import { spawnSync } from 'node:child_process'
import { interleaveRounds, median } from './harness'

export interface ProcessCandidate {
  readonly name: string
  readonly args: readonly string[]
  readonly env?: NodeJS.ProcessEnv
  /** Throws when a run's result is not what the candidate must produce (so a broken run cannot look fast). */
  readonly check?: (stdout: string) => void
}

export const childEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'],
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...extra,
})

/** Runs once; throws with the child's stderr when it fails. */
export const runOnce = (c: ProcessCandidate, cwd: string): { ms: number; stdout: string } => {
  const start = performance.now()
  // The timeout also guards a run that needs a server of this (blocked) process, e.g. a cache miss.
  const r = spawnSync(process.execPath, c.args, { cwd, env: c.env ?? childEnv(), encoding: 'utf8', timeout: 30_000 })
  const ms = performance.now() - start
  if (r.status !== 0)
    throw new Error(
      `${c.name}: node ${c.args.join(' ')} ${r.status === null ? `killed (${r.signal})` : `exited ${r.status}`}: ${r.stderr.slice(0, 300)}`,
    )
  c.check?.(r.stdout)
  return { ms, stdout: r.stdout }
}

/** Median wall time (ms) per candidate over `rounds` interleaved rounds (one warm-up round first). */
export const timeProcesses = async (
  candidates: readonly ProcessCandidate[],
  rounds: number,
  cwd: string,
): Promise<Map<string, number>> => {
  const samples = await interleaveRounds(candidates, rounds, async (c) => runOnce(c, cwd).ms, 1)
  return new Map([...samples].map(([k, v]) => [k, median(v)]))
}
