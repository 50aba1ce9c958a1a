// The small harness every suite shares: interleaved rounds with a rotating order, one
// call site per candidate, medians, and one printed line per figure (value, anchor, ratio,
// target, ok/MISS). Ratios measured side by side in one run are the point, not absolutes.
import { performance } from 'node:perf_hooks'

export const smoke = process.argv.includes('--smoke')

/** A candidate: a function whose calls are timed, many per round. */
export interface Candidate {
  readonly name: string
  readonly fn: () => unknown
  /** Calls per round for this candidate. @default the `calls` option */
  readonly calls?: number
}

/** What a round measures: elapsed wall time, or the process's CPU time (user + system). */
export type Clock = 'wall' | 'cpu'

export interface InterleaveOptions {
  /** Calls per candidate per round. */
  readonly calls: number
  /** Measured rounds (two more run first as warm-up). */
  readonly rounds: number
  readonly clock?: Clock
}

/** A batch runner with its own compiled loop, so every candidate has its own call site. */
type Batch = (n: number) => Promise<void>
const ownLoop = (fn: () => unknown): Batch =>
  // A fresh function per candidate: V8 keeps one inline cache per call site, and a loop
  // shared by all candidates would make that site megamorphic and slow every candidate.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- the separate call site is the point
  new Function('fn', 'return async function batch(n) { for (let i = 0; i < n; i++) await fn() }')(fn) as Batch

const nowNs = (clock: Clock): number => {
  if (clock === 'wall') return performance.now() * 1e6
  const u = process.cpuUsage()
  return (u.user + u.system) * 1e3
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length === 0 ? Number.NaN : s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

/** The order of round `r`: candidates rotated by `r`, so none always runs first or last. */
export const rotate = <T>(xs: readonly T[], r: number): T[] => xs.map((_, i) => xs[(i + r) % xs.length] as T)

/** Runs `step(candidate)` for every candidate in rotating order, `rounds` times (after `warmup` unmeasured rounds). */
export const interleaveRounds = async <T extends { readonly name: string }>(
  candidates: readonly T[],
  rounds: number,
  step: (c: T) => Promise<number>,
  warmup = 2,
): Promise<Map<string, number[]>> => {
  const samples = new Map(candidates.map((c) => [c.name, [] as number[]]))
  for (let r = -warmup; r < rounds; r++) {
    for (const c of rotate(candidates, r + warmup)) {
      const v = await step(c)
      if (r >= 0) samples.get(c.name)?.push(v)
    }
  }
  return samples
}

/** Nanoseconds per call of each candidate: median over interleaved rounds. */
export const interleave = async (
  candidates: readonly Candidate[],
  o: InterleaveOptions,
): Promise<Map<string, number>> => {
  const clock = o.clock ?? 'wall'
  const batches = new Map(candidates.map((c) => [c.name, ownLoop(c.fn)]))
  const samples = await interleaveRounds(candidates, o.rounds, async (c) => {
    const batch = batches.get(c.name) as Batch
    const calls = c.calls ?? o.calls
    const start = nowNs(clock)
    await batch(calls)
    return (nowNs(clock) - start) / calls
  })
  return new Map([...samples].map(([k, v]) => [k, median(v)]))
}

/** One measured figure against its anchor. `ok` is decided by the suite, from the target. */
export interface Figure {
  readonly label: string
  readonly value: string
  readonly anchor?: string
  /** value ÷ anchor, printed as `N.NNx`. */
  readonly ratio?: number
  readonly target: string
  readonly ok: boolean
}

/** Info lines (no target) printed under a heading. */
export const info = (label: string, value: string): void => console.log(`    ${label.padEnd(56)} ${value}`)

/** An older-style suite's line: label, value, and optionally its target and verdict. */
export const line = (label: string, value: string, target?: string, ok?: boolean): void => {
  const verdict = ok === undefined ? '' : ok ? '  ok' : '  MISS'
  console.log(`    ${label.padEnd(56)} ${value.padStart(14)}${target ? `   target ${target}` : ''}${verdict}`)
}

export const heading = (title: string): void => console.log(`\n${title}`)

export const printFigure = (f: Figure): void => {
  const ratio =
    f.ratio === undefined
      ? ''
      : `${Number.isFinite(f.ratio) ? f.ratio.toFixed(f.ratio < 0.1 ? 3 : 2) : String(f.ratio)}x`
  console.log(`  ${f.label}`)
  console.log(
    `    ${f.value.padStart(14)}${f.anchor ? `  vs ${f.anchor.padEnd(22)}` : ''.padEnd(26)}${ratio.padStart(9)}   target ${f.target.padEnd(14)} ${f.ok ? 'ok' : 'MISS'}`,
  )
}

export const fmtNs = (ns: number): string =>
  ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e4 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns.toFixed(1)} ns`
export const fmtMs = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
