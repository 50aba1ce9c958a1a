// The library's weight in a bundled handler: esbuild (minified, platform node, target
// node20, the AWS SDK and smithy external) of an STS handler using fromAssumeRole +
// withRefresh + withClientCache, from the built dist/. Everything in the output but the
// handler itself is what the library brings (its own code and the dependencies it reaches).
import { build } from 'esbuild'
import { distPath, root } from './dist'
import { type Figure, heading, info } from './harness'

const BUDGET = 20 * 1024

const handler = (load: string): string => `${load}
const clients = withClientCache({ region: process.env.AWS_REGION })(withRefresh()(fromAssumeRole({ RoleArn: process.env.ROLE_ARN })))
export const handler = async () => clients.client(S3Client).send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))
`

const bundle = async (
  contents: string,
  format: 'esm' | 'cjs',
): Promise<{ bytes: number; byOrigin: Map<string, number> }> => {
  const r = await build({
    stdin: { contents, resolveDir: root, sourcefile: `handler.${format === 'esm' ? 'mjs' : 'cjs'}`, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format,
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['@aws-sdk/*', '@smithy/*'],
  })
  const inputs = Object.values(r.metafile.outputs)[0]?.inputs ?? {}
  const byOrigin = new Map<string, number>()
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const origin = path.startsWith('dist/') ? 'dist/' : (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path)
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + bytesInOutput)
  }
  const own = byOrigin.get(`handler.${format === 'esm' ? 'mjs' : 'cjs'}`) ?? 0
  return { bytes: [...byOrigin.values()].reduce((a, b) => a + b, 0) - own, byOrigin }
}

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`

export const bundleSize = async (): Promise<Figure[]> => {
  heading('Bundle: the library in a minified esbuild bundle of an STS handler (SDK and smithy external)')
  const esm = await bundle(
    handler(`import { fromAssumeRole, withRefresh, withClientCache } from ${JSON.stringify(distPath('esm/index.js'))}
import { S3Client, HeadObjectCommand } from '@aws-sdk/client-s3'`),
    'esm',
  )
  const cjs = await bundle(
    handler(`const { fromAssumeRole, withRefresh, withClientCache } = require(${JSON.stringify(distPath('cjs/index.js'))})
const { S3Client, HeadObjectCommand } = require('@aws-sdk/client-s3')`).replace(
      'export const handler',
      'exports.handler',
    ),
    'cjs',
  ).catch((e: unknown) => (e instanceof Error ? e.message.split('\n').slice(0, 2).join(' ') : String(e)))
  for (const [origin, bytes] of [...esm.byOrigin].sort((a, b) => b[1] - a[1]))
    if (!origin.startsWith('handler.')) info(`  import handler, from ${origin}`, kib(bytes))
  info(
    'require handler (format cjs): the library and what it reaches',
    typeof cjs === 'string' ? `does not bundle: ${cjs}` : kib(cjs.bytes),
  )
  return [
    {
      label: 'import handler (format esm): the library and what it reaches, vs the budget',
      value: kib(esm.bytes),
      anchor: kib(BUDGET),
      ratio: esm.bytes / BUDGET,
      target: '<= 1.0x',
      ok: esm.bytes <= BUDGET,
    },
  ]
}
