// Runs before every test file (jest.config.ts setupFilesAfterEnv). It makes the emulators
// default to canary secrets and records every CredentialError message, console line and
// write to a stream other than a socket, with util.inspect (what console.error and loggers
// print, causes included) of every CredentialError and every withRefresh event; afterAll
// fails the file if a canary leaked.
import { Socket } from 'node:net'
import { Writable } from 'node:stream'
import { format, inspect } from 'node:util'
import { CANARY_MFA_SECRET, canarySecretAccessKey, findCanary } from './canaries'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
const leaks: string[] = []
const scan = (where: string, text: unknown): void => {
  const hit =
    typeof text === 'string' ? findCanary(text) : Buffer.isBuffer(text) ? findCanary(text.toString('utf8')) : undefined
  if (hit !== undefined) leaks.push(`${where}: ...${hit.replace(/CANARY/g, 'C*NARY')}...`)
}

// Every CredentialError built by the library goes through the module's export at call time.
// require() on purpose: the live exports object, not an import's frozen namespace copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const errors = require('../../lib/errors') as Mutable<typeof import('../../lib/errors')>
const Original = errors.CredentialError
errors.CredentialError = class CredentialError extends Original {
  constructor(...args: ConstructorParameters<typeof Original>) {
    super(...args)
    scan(`CredentialError(${this.code})`, this.message)
    // Without a cause, what inspect prints beyond the message is the code, source and stack.
    if (this.cause !== undefined) scan(`inspect(CredentialError(${this.code}))`, inspect(this, { depth: Infinity }))
  }
}

// Every refresh event, as a logger would print it (`onEvent: (e) => log.info(e.type, e)`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const refresh = require('../../lib/refresh/withRefresh') as Mutable<typeof import('../../lib/refresh/withRefresh')>
const withRefresh = refresh.withRefresh
refresh.withRefresh = (arg) => {
  let options: Record<string, unknown>
  try {
    options = typeof arg === 'number' ? { earlyMs: arg } : { ...arg }
    if (
      (arg !== undefined &&
        typeof arg !== 'number' &&
        (typeof arg !== 'object' || arg === null || Array.isArray(arg))) ||
      (options['onEvent'] !== undefined && typeof options['onEvent'] !== 'function')
    )
      return withRefresh(arg)
  } catch {
    return withRefresh(arg) // hostile options (validation tests): let withRefresh itself answer
  }
  const onEvent = options['onEvent'] as ((event: unknown) => void) | undefined
  return withRefresh({
    ...options,
    onEvent: (event) => {
      scan(`inspect(refresh event ${event.type})`, inspect(event, { depth: Infinity }))
      onEvent?.(event)
    },
  })
}

// The emulators use canary secrets unless a test chooses its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sts = require('../../lib/testing/startStsEmulator') as Mutable<
  typeof import('../../lib/testing/startStsEmulator')
>
const startSts = sts.startStsEmulator
sts.startStsEmulator = (options = {}) =>
  startSts({
    ...options,
    baseCredentials: options.baseCredentials ?? {
      accessKeyId: `AKIA${Math.random().toString(36).slice(2, 18).toUpperCase().padEnd(16, 'X')}`,
      secretAccessKey: canarySecretAccessKey(),
    },
    mfa: { ...options.mfa, secret: options.mfa?.secret ?? CANARY_MFA_SECRET },
  })

for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method].bind(console)
  console[method] = (...args: unknown[]) => {
    scan(`console.${method}`, format(...args))
    original(...args)
  }
}

// Streams the code under test writes to (CLI stdout/stderr in-process), but not sockets:
// a socket may carry a secret to the service it belongs to.
// eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .call(this, ...)
const write = Writable.prototype.write
Writable.prototype.write = function (this: Writable, chunk: unknown, ...rest: unknown[]) {
  if (!(this instanceof Socket)) scan('stream write', chunk)
  return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest)
} as typeof Writable.prototype.write
for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream) as (...a: unknown[]) => boolean
  stream.write = (chunk: unknown, ...rest: unknown[]) => {
    scan(stream === process.stdout ? 'stdout' : 'stderr', chunk)
    return original(chunk, ...rest)
  }
}

afterAll(() => {
  if (leaks.length > 0)
    throw new Error(`secret canary leaked ${leaks.length} time(s):\n${leaks.slice(0, 10).join('\n')}`)
})
