import { execFile } from 'node:child_process'
import { join } from 'node:path'

const tsx = require.resolve('tsx/cli')

describe('withRefresh background timer', () => {
  it('does not keep a Node process alive: the child exits on its own with an hour-long timer armed', async () => {
    const started = Date.now()
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [tsx, join(__dirname, '../fixtures/keepalive-child.ts')],
        { timeout: 20_000 },
        (error, out) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: out }),
      )
      child.stdin?.end()
    })
    expect(stdout).toContain('fetched AKIACHILD')
    expect(code).toBe(0)
    expect(Date.now() - started).toBeLessThan(20_000)
  })
})
