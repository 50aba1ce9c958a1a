// A tiny side-by-side harness: each candidate runs in interleaved rounds in one process,
// and the median round gives its time per call. Ratios, not absolute numbers, are the point.
import { performance } from 'node:perf_hooks'

export const smoke = process.argv.includes('--smoke')

export interface Candidate {
  readonly name: string
  readonly run: () => Promise<unknown>
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

/** Nanoseconds per call of each candidate, median of interleaved rounds. */
export const compare = async (candidates: readonly Candidate[], callsPerRound = smoke ? 2_000 : 200_000, rounds = smoke ? 3 : 15): Promise<Map<string, number>> => {
  const samples = new Map(candidates.map((c) => [c.name, [] as number[]]))
  for (let round = -2; round < rounds; round++) {
    for (const c of candidates) {
      const start = performance.now()
      for (let i = 0; i < callsPerRound; i++) await c.run()
      const ns = ((performance.now() - start) * 1e6) / callsPerRound
      if (round >= 0) samples.get(c.name)?.push(ns)
    }
  }
  return new Map([...samples].map(([k, v]) => [k, median(v)]))
}

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

export const line = (label: string, value: string, target?: string, ok?: boolean): void => {
  const verdict = ok === undefined ? '' : ok ? '  ok' : '  MISSED'
  console.log(`  ${label.padEnd(58)} ${value.padStart(14)}${target ? `   target ${target}` : ''}${verdict}`)
}

export const heading = (title: string): void => console.log(`\n${title}`)
