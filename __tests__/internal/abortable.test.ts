import { getEventListeners } from 'node:events'
import { abortable, onAbort } from '../../lib/internal/abortable'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { withMfa } from '../../lib/transforms/withMfa'
import { withTimeout } from '../../lib/transforms/withTimeout'
import type { CredentialSource, MfaCapableSource } from '../../lib/types'

const hung = (): Promise<never> => new Promise(() => undefined)
const CALLERS = 50

describe('abortable', () => {
  it('keeps the process alive while its deadline runs, unless told otherwise', async () => {
    const timers: NodeJS.Timeout[] = []
    const real = global.setTimeout
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      const t = real(fn, ms)
      timers.push(t)
      return t
    }) as typeof setTimeout)
    try {
      const awaited = abortable(Promise.resolve('x'), { timeoutMs: 60_000, timedOut: () => new Error('late') })
      const detached = abortable(Promise.resolve('y'), {
        timeoutMs: 60_000,
        timedOut: () => new Error('late'),
        unref: true,
      })
      expect(timers.map((t) => t.hasRef())).toEqual([true, false])
      await expect(Promise.all([awaited, detached])).resolves.toEqual(['x', 'y'])
    } finally {
      spy.mockRestore()
      for (const t of timers) clearTimeout(t)
    }
  })

  it('rejects with the abort reason or at the deadline, and settles as the promise otherwise', async () => {
    const controller = new AbortController()
    const p = abortable(hung(), { signal: controller.signal, aborted: () => 'aborted' })
    controller.abort()
    await expect(p).rejects.toBe('aborted')
    await expect(abortable(hung(), { timeoutMs: 1, timedOut: () => 'late' })).rejects.toBe('late')
    await expect(
      abortable(Promise.resolve(1), { signal: new AbortController().signal, timeoutMs: 1_000 }),
    ).resolves.toBe(1)
    await expect(abortable(hung(), { signal: AbortSignal.abort('already') })).rejects.toBe('already')
  })

  it('adds one listener per signal whatever the number of waiters, and none is left after', () => {
    const controller = new AbortController()
    const cancels = Array.from({ length: CALLERS }, () => onAbort(controller.signal, () => undefined))
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    cancels.forEach((cancel) => cancel())
    let fired = 0
    onAbort(controller.signal, () => {
      fired += 1
    })
    controller.abort()
    expect(fired).toBe(1)
  })

  it.each<[string, (s: CredentialSource) => CredentialSource]>([
    ['withRefresh', (s) => withRefresh()(s)],
    ['withTimeout', (s) => withTimeout(60_000)(s)],
    ['withMfa', (s) => withMfa(hung, { serialNumber: 'arn:aws:iam::123456789012:mfa/me' })(s as MfaCapableSource)],
  ])('%s: callers sharing one AbortSignal add one listener to it (no MaxListenersExceededWarning)', async (_, wrap) => {
    const warnings: Error[] = []
    const onWarning = (w: Error): void => void warnings.push(w)
    process.on('warning', onWarning)
    const controller = new AbortController()
    const provider = wrap(hung)
    const calls = Array.from({ length: CALLERS }, () =>
      provider({ signal: controller.signal }).catch((e: unknown) => e),
    )
    await new Promise((resolve) => setImmediate(resolve))
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    controller.abort()
    for (const e of await Promise.all(calls)) expect(e).toMatchObject({ name: 'CredentialError', code: 'Aborted' })
    await new Promise((resolve) => setImmediate(resolve))
    process.off('warning', onWarning)
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
    ;(provider as { close?: () => void }).close?.()
  })
})
