// Import time in fresh processes, floor subtracted: `require` and ESM `import` of the root
// entry (dist/) against the same of `@aws-sdk/credential-providers`, above `node -e 0`
// (and its ESM twin `node --input-type=module -e ''` for the imports).
import { pathToFileURL } from 'node:url'
import { distPath, root } from './dist'
import { type Figure, fmtMs, heading, info, smoke } from './harness'
import { timeProcesses } from './procs'

const SDK = '@aws-sdk/credential-providers'

export const importTime = async (): Promise<Figure[]> => {
  const rounds = smoke ? 2 : 15
  heading(`Import time, fresh processes, median of ${rounds} interleaved rounds, the node floor subtracted`)
  const esm = (code: string): string[] => ['--input-type=module', '-e', code]
  const t = await timeProcesses(
    [
      { name: 'floor', args: ['-e', '0'] },
      { name: 'floorEsm', args: esm('') },
      { name: 'oursCjs', args: ['-e', `require(${JSON.stringify(distPath('cjs/index.js'))})`] },
      { name: 'sdkCjs', args: ['-e', `require('${SDK}')`] },
      { name: 'oursEsm', args: esm(`import ${JSON.stringify(pathToFileURL(distPath('esm/index.js')).href)}`) },
      { name: 'sdkEsm', args: esm(`import '${SDK}'`) },
    ],
    rounds,
    root,
  )
  const get = (k: string): number => t.get(k) ?? Number.NaN
  info("node -e 0 / node --input-type=module -e ''", `${fmtMs(get('floor'))} / ${fmtMs(get('floorEsm'))}`)
  const [oc, sc, oe, se] = [
    get('oursCjs') - get('floor'),
    get('sdkCjs') - get('floor'),
    get('oursEsm') - get('floorEsm'),
    get('sdkEsm') - get('floorEsm'),
  ]
  return [
    {
      label: `require('aws-refresh-session') vs require('${SDK}'), above the floor`,
      value: fmtMs(oc),
      anchor: fmtMs(sc),
      ratio: oc / sc,
      target: '<= 1.0x',
      ok: oc / sc <= 1.0,
    },
    {
      label: `import 'aws-refresh-session' vs import '${SDK}', above the floor`,
      value: fmtMs(oe),
      anchor: fmtMs(se),
      ratio: oe / se,
      target: '<= 1.3x',
      ok: oe / se <= 1.3,
    },
  ]
}
