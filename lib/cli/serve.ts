import type { RefreshEvent } from '../refresh/RefreshEvent.js'
import type { CredentialSource } from '../types.js'
import { COMMAND } from './flags.js'
import { startServe } from './startServe.js'

/**
 * Options of {@link serve}.
 */
export type ServeOptions = {
  readonly source: CredentialSource
  /** @default 0 (ephemeral) */
  readonly port?: number | undefined
  /** Print the two variables as one JSON object instead of `export` lines. @default false */
  readonly json?: boolean | undefined
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
  /** Stops the server when aborted (the CLI aborts it on SIGINT and SIGTERM). @default never */
  readonly signal?: AbortSignal | undefined
  /** The clock of the refreshing provider. @default Date.now */
  readonly now?: (() => number) | undefined
}

/** One line per refresh and failure, never a secret: only the last 4 characters of the key id. */
const logEvent =
  (stderr: NodeJS.WritableStream) =>
  (e: RefreshEvent): void => {
    const at = new Date(e.at).toISOString()
    if (e.type === 'refresh-succeeded')
      stderr.write(
        `${COMMAND}: ${at} credentials refreshed (key …${e.accessKeyIdSuffix}, expire ${e.expiration?.toISOString() ?? 'never'})\n`,
      )
    else if (e.type === 'refresh-failed')
      stderr.write(`${COMMAND}: ${at} refresh failed: ${e.error.message} [${e.error.code}]\n`)
    else if (e.type === 'stale-served')
      stderr.write(`${COMMAND}: ${at} serving the previous credentials until they expire\n`)
  }

const exportLines = (url: string, token: string, json: boolean): string =>
  json
    ? `${JSON.stringify({ AWS_CONTAINER_CREDENTIALS_FULL_URI: url, AWS_CONTAINER_AUTHORIZATION_TOKEN: token })}\n`
    : `export AWS_CONTAINER_CREDENTIALS_FULL_URI=${url}\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN=${token}\n`

const aborted = (signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    if (signal === undefined) return
    if (signal.aborted) return resolve()
    signal.addEventListener('abort', () => resolve(), { once: true })
  })

/**
 * The `serve` subcommand: fetches credentials once (so a bad source or a refused MFA code
 * fails at once), then serves them with {@link startServe} and prints the
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI` and `AWS_CONTAINER_AUTHORIZATION_TOKEN` to export on
 * `stdout`; logs refreshes (key id suffix only) to `stderr`; resolves after `signal` aborts
 * and everything is closed.
 * @throws CredentialError from the first fetch; the listen error when the port is taken.
 */
export const serve = async (o: ServeOptions): Promise<void> => {
  const served = await startServe({
    source: o.source,
    port: o.port,
    refresh: { onEvent: logEvent(o.stderr), ...(o.now && { now: o.now }) },
  })
  try {
    await served.provider()
    o.stdout.write(exportLines(served.url, served.token, o.json === true))
    o.stderr.write(`${COMMAND}: serving credentials on ${served.url} (127.0.0.1 only); stop with Ctrl-C\n`)
    await aborted(o.signal)
  } finally {
    await served.close()
  }
}
