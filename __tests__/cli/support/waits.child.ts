// Run as a child process: waits that a caller is blocked on must keep Node alive until
// they end. Each mode prints one line when the awaited call settled.
import { fromCallable } from '../../../lib/sources/fromCallable'
import { totp } from '../../../lib/mfa/totp'
import { withTimeout } from '../../../lib/transforms/withTimeout'

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

const modes: Record<string, () => Promise<string>> = {
  // A second code within one step waits for the next step.
  totp: async () => {
    const next = totp(SECRET, { periodSeconds: 1 })
    const first = await next('serial')
    const second = await next('serial')
    return first === second ? 'same code twice' : 'two codes'
  },
  // A source that never settles and holds nothing: only the deadline can answer.
  timeout: () =>
    withTimeout(300)(fromCallable(() => new Promise<never>(() => undefined)))().then(
      () => 'resolved',
      (e: { code?: string }) => `rejected ${e.code}`,
    ),
}

void modes[process.argv[2] ?? '']!().then((line) => process.stdout.write(`${line}\n`))
