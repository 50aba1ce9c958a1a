// A Logger for tests that records every line and holds it to the secret canaries: a line
// holding the canary marker (or a secret the test names) fails the test file in afterAll.
import { format } from 'node:util'
import type { Logger } from '@smithy/types'
import { findCanary } from './canaries'

export type RecordingLogger = Logger & {
  readonly lines: { readonly level: string; readonly text: string }[]
  /** The lines of one level, as text. */
  readonly at: (level: 'debug' | 'info' | 'warn' | 'error') => string[]
  /** Also fail on these exact strings (a session token, an MFA code) from now on. */
  readonly forbid: (...secrets: string[]) => void
}

const leaks: string[] = []
afterAll(() => {
  if (leaks.length > 0)
    throw new Error(`a secret reached a logger ${leaks.length} time(s):\n${leaks.slice(0, 10).join('\n')}`)
})

/** A fresh recording logger. */
export const recordingLogger = (): RecordingLogger => {
  const lines: { level: string; text: string }[] = []
  const forbidden: string[] = []
  const scan = (level: string, text: string): void => {
    const hit = findCanary(text) ?? forbidden.find((s) => text.includes(s))
    if (hit !== undefined) leaks.push(`logger.${level}: ...${hit.replace(/CANARY/g, 'C*NARY').slice(0, 12)}...`)
  }
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      const text = format(...args.map((a) => (typeof a === 'object' && a !== null ? JSON.stringify(a) : a)))
      lines.push({ level, text })
      scan(level, text)
    }
  return {
    lines,
    at: (level) => lines.filter((l) => l.level === level).map((l) => l.text),
    forbid: (...secrets) => {
      forbidden.push(...secrets.filter((x) => x.length > 0))
      for (const l of lines) scan(l.level, l.text)
    },
    trace: record('trace'),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  }
}
