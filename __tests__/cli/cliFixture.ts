import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import type { Terminal } from '../../lib/cli/mfaFromFlags'
import { type CliIo, runCli } from '../../lib/cli/runCli'
import type { PromptInput } from '../../lib/mfa/promptForCode'

/** A writable stream that keeps what was written. */
export const capture = (): { readonly stream: NodeJS.WritableStream; readonly text: () => string } => {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += String(chunk)
      callback()
    },
  })
  return { stream, text: () => text }
}

export type CliRun = { readonly code: number; readonly stdout: string; readonly stderr: string }

/** Runs the CLI in-process with captured output; `io` overrides the defaults (empty env, temp home). */
export const runIn = async (argv: readonly string[], io: Partial<CliIo> = {}): Promise<CliRun> => {
  const out = capture()
  const err = capture()
  const code = await runCli({
    argv,
    env: {},
    stdout: out.stream,
    stderr: err.stream,
    cwd: process.cwd(),
    homeDir: join(tmpdir(), 'aws-refresh-session-no-home'),
    version: '9.9.9-test',
    openTerminal: () => undefined,
    ...io,
  })
  return { code, stdout: out.text(), stderr: err.text() }
}

/** A temporary directory, removed by the returned function. */
export const tempDir = (): { readonly path: string; readonly remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), 'ars-cli-'))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** A fake terminal where `typed` has already been typed (then Enter); counts how often it was opened. */
export const fakeTerminal = (
  typed: () => string,
): { readonly open: () => Terminal; readonly opened: () => number; readonly shown: () => string } => {
  let opened = 0
  const output = capture()
  return {
    open: () => {
      opened++
      const input = Object.assign(new PassThrough(), {
        isTTY: true,
        setRawMode: () => undefined,
      }) as unknown as PromptInput & PassThrough
      input.write(`${typed()}\r`)
      return { input, output: output.stream, close: () => input.destroy() }
    },
    opened: () => opened,
    shown: () => output.text(),
  }
}
