import { createGate } from '../../lib/clients/createGate'

/** A task that stays pending until its `open()` is called. */
const deferred = () => {
  let open!: (v: string) => void
  let fail!: (e: Error) => void
  const promise = new Promise<string>((resolve, reject) => {
    open = resolve
    fail = reject
  })
  return { promise, open, fail }
}
const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

describe('createGate', () => {
  it('runs at most `limit` tasks at once and starts the waiting ones in arrival order', async () => {
    const gate = createGate(2)
    const tasks = Array.from({ length: 5 }, () => deferred())
    const started: number[] = []
    const results = tasks.map((t, i) => gate.run(() => (started.push(i), t.promise)))
    expect(started).toEqual([0, 1])
    expect([gate.active(), gate.waiting()]).toEqual([2, 3])
    tasks[1]?.open('b')
    await flush()
    expect(started).toEqual([0, 1, 2])
    tasks[0]?.fail(new Error('a failed'))
    await flush()
    expect(started).toEqual([0, 1, 2, 3])
    for (const t of tasks) t.open('x')
    await expect(results[0]).rejects.toThrow('a failed')
    await expect(results[1]).resolves.toBe('b')
    await Promise.all(results.slice(1))
    expect([gate.active(), gate.waiting()]).toEqual([0, 0])
  })

  it('frees the slot of a task that throws synchronously', async () => {
    const gate = createGate(1)
    await expect(
      gate.run(() => {
        throw new Error('sync')
      }),
    ).rejects.toThrow('sync')
    await expect(gate.run(async () => 'next')).resolves.toBe('next')
    expect(gate.active()).toBe(0)
  })

  it('close() rejects the waiting tasks and later runs, and lets running tasks finish', async () => {
    const gate = createGate(1)
    const running = deferred()
    const first = gate.run(() => running.promise)
    const started = jest.fn(async () => 'never')
    const waiting = gate.run(started)
    gate.close(() => new Error('closed'))
    await expect(waiting).rejects.toThrow('closed')
    await expect(gate.run(started)).rejects.toThrow('closed')
    running.open('done')
    await expect(first).resolves.toBe('done')
    expect(started).not.toHaveBeenCalled()
    expect(gate.waiting()).toBe(0)
  })
})
