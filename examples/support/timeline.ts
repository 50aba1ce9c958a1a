// Prints a demo's timeline: seconds since start, what happened, key id suffix, time to
// expiry. Colours only on a terminal, so a plain log stays readable.
import type { AwsCredentialIdentity, RefreshEvent } from '../../lib/index.js'

const tty = process.stdout.isTTY === true && process.env.NO_COLOR === undefined
const paint = (code: number, text: string): string => (tty ? `\u001b[${code}m${text}\u001b[0m` : text)
export const dim = (text: string): string => paint(2, text)
export const bold = (text: string): string => paint(1, text)
export const green = (text: string): string => paint(32, text)
export const yellow = (text: string): string => paint(33, text)
export const red = (text: string): string => paint(31, text)
export const cyan = (text: string): string => paint(36, text)

export interface Timeline {
  /** One line: time, who, what, and the credentials it concerns. */
  readonly log: (who: string, what: string, creds?: AwsCredentialIdentity) => void
  /** An `onEvent` observer printing a provider's events under `who`. */
  readonly observer: (who: string) => (event: RefreshEvent) => void
  readonly section: (title: string) => void
}

const expiresIn = (expiration: Date | undefined, now: number): string =>
  expiration === undefined ? '' : `expires in ${((expiration.getTime() - now) / 1000).toFixed(1)}s`

const describe = (e: RefreshEvent, now: number): string => {
  switch (e.type) {
    case 'refresh-started':
      return cyan(`refresh started (${e.reason})`)
    case 'refresh-succeeded':
      return `${green(`refreshed (${e.reason}) in ${e.durationMs} ms`)}  key ...${e.accessKeyIdSuffix}  ${expiresIn(e.expiration, now)}`
    case 'refresh-failed':
      return red(`refresh failed (${e.reason}): ${e.error.code}, failure #${e.failures}`)
    case 'stale-served':
      return yellow(`serving still-valid credentials through the failure, ${expiresIn(e.expiration, now)}`)
    case 'backoff':
      return yellow(`backing off ${(e.delayMs / 1000).toFixed(1)}s before the next try`)
  }
}

export const timeline = (start = Date.now()): Timeline => {
  const stamp = (): string => dim(`[${((Date.now() - start) / 1000).toFixed(1).padStart(5)}s]`)
  const out = (who: string, text: string): void => console.log(`${stamp()} ${bold(who.padEnd(10))} ${text}`)
  return {
    log: (who, what, creds) =>
      out(
        who,
        creds ? `${what}  key ...${creds.accessKeyId.slice(-4)}  ${expiresIn(creds.expiration, Date.now())}` : what,
      ),
    observer: (who) => (event) => out(who, describe(event, Date.now())),
    section: (title) => console.log(`\n${bold(title)}`),
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
