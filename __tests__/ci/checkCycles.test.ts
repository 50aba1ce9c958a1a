import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const check = (folder: string) =>
  spawnSync(process.execPath, [join(root, 'scripts', 'check-cycles.mjs'), folder], { cwd: root, encoding: 'utf8' })

describe('scripts/check-cycles.mjs', () => {
  it('fails on a cycle made of type-only imports, naming both files', () => {
    const r = check('__tests__/fixtures/cycles')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(
      '__tests__/fixtures/cycles/config.ts -> __tests__/fixtures/cycles/options.ts -> __tests__/fixtures/cycles/config.ts',
    )
  })

  it('passes a folder without cycles', () => {
    const r = check('lib/refresh')
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/no import cycles among \d+ files of lib\/refresh\//)
  })
})
