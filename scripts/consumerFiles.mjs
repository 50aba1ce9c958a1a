// The files of the fresh consumer project that scripts/check-consumer.mjs writes.

// Both entries, both module systems: the STS emulator runs with no optional peer installed;
// the IoT emulator says which packages it needs.
const RA = 'arn:aws:rolesanywhere:us-east-1:123456789012'
const raArns = `{ trustAnchorArn: '${RA}:trust-anchor/0a1b2c3d-4e5f-6789-abcd-ef0123456789', profileArn: '${RA}:profile/1b2c3d4e-5f60-789a-bcde-f0123456789a', roleArn: 'arn:aws:iam::123456789012:role/r' }`
const smoke = (kind) => `
  const RA_ARNS = ${raArns}
  const sts = await startStsEmulator()
  const credentials = pipe(fromAssumeRole({ RoleArn: sts.roleArns[0] }, { source: async () => sts.baseCredentials, region: sts.region, clientConfig: { endpoint: sts.endpoint } }), withRefresh())
  const c = await credentials()
  if (!c.sessionToken) throw new Error('${kind}: no session token')
  credentials.close(); await sts.close()
  const missing = await startIotEmulator().then(() => undefined, (e) => e)
  if (!isCredentialError(missing) || missing.code !== 'PeerMissing' || !missing.message.includes('@peculiar/x509') || !missing.message.includes('reflect-metadata'))
    throw new Error('${kind}: startIotEmulator without its packages: ' + missing)
  const src = fromIotCertificate({ roleAlias: 'r', certificate: process.env.SMOKE_CERT, privateKey: process.env.SMOKE_KEY, region: 'us-east-1', timeoutMs: 2000 })
  const noIot = await src().then(() => undefined, (e) => e)
  if (noIot?.code !== 'PeerMissing' || !noIot.message.includes('@aws-sdk/client-iot')) throw new Error('${kind}: discovery without @aws-sdk/client-iot: ' + noIot)
  const hsm = fromIotCertificate({ endpoint: 'localhost:1', roleAlias: 'r', certificate: process.env.SMOKE_CERT, pkcs11: { library: '/nonexistent.so', pin: '1' }, timeoutMs: 2000 })
  const noCrt = await hsm().then(() => undefined, (e) => e)
  if (noCrt?.code !== 'PeerMissing' || !noCrt.message.includes('aws-crt')) throw new Error('${kind}: pkcs11 without aws-crt: ' + noCrt)
  const noRaPki = await startRolesAnywhereEmulator().then(() => undefined, (e) => e)
  if (!isCredentialError(noRaPki) || noRaPki.code !== 'PeerMissing' || !noRaPki.message.includes('@peculiar/x509') || !noRaPki.message.includes('reflect-metadata'))
    throw new Error('${kind}: startRolesAnywhereEmulator without its packages: ' + noRaPki)
  const ra = fromRolesAnywhere({ ...RA_ARNS, certificate: process.env.SMOKE_CERT, privateKey: process.env.SMOKE_KEY, endpoint: 'http://127.0.0.1:1', timeoutMs: 2000 })
  const raRefused = await ra().then(() => undefined, (e) => e)
  if (raRefused?.code !== 'NetworkError') throw new Error('${kind}: fromRolesAnywhere (signed, sent to a closed port): ' + raRefused)
  const noProviders = await fromProfile('proc')().then(() => undefined, (e) => e)
  if (noProviders?.code !== 'PeerMissing' || !noProviders.message.includes('@aws-sdk/credential-providers')) throw new Error('${kind}: credential_process without @aws-sdk/credential-providers: ' + noProviders)
  console.log('${kind}: both entries load; STS emulator ok; fromRolesAnywhere signs and sends; the IoT and Roles Anywhere emulators, discovery, pkcs11 and a delegated profile name their packages')
`
export const smokeCjs = `
const { withRefresh, fromAssumeRole, fromIotCertificate, fromRolesAnywhere, fromProfile, pipe, isCredentialError } = require('aws-refresh-session')
const { startStsEmulator, startIotEmulator, startRolesAnywhereEmulator } = require('aws-refresh-session/testing')
;(async () => {${smoke('require')}})().catch((e) => { console.error(e); process.exit(1) })
`
export const smokeMjs = `
import { withRefresh, fromAssumeRole, fromIotCertificate, fromRolesAnywhere, fromProfile, pipe, isCredentialError } from 'aws-refresh-session'
import { startStsEmulator, startIotEmulator, startRolesAnywhereEmulator } from 'aws-refresh-session/testing'
${smoke('import')}
`

// Strict type-check of both entries with only the required peers installed.
export const typesTs = `
import { S3Client } from '@aws-sdk/client-s3'
import { pipe, fromCallable, fromAssumeRole, fromIotCertificate, withRefresh, withClientCache, withMfa, totp, type RefreshingProvider, type ClientFactory, type CredentialErrorCode } from 'aws-refresh-session'
import { startStsEmulator, startIotEmulator, type StsEmulator, type IotEmulator } from 'aws-refresh-session/testing'
export const provider: RefreshingProvider = pipe(fromCallable(() => ({ accessKeyId: 'a', secretAccessKey: 'b' })), withRefresh())
export const clients: ClientFactory = pipe(fromAssumeRole({ RoleArn: 'arn:aws:iam::123456789012:role/r', SerialNumber: 'arn:aws:iam::123456789012:mfa/u' }), withMfa(totp('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')), withRefresh(), withClientCache())
export const s3: S3Client = clients.client(S3Client)
export const iot = (): RefreshingProvider => pipe(fromIotCertificate({ endpoint: 'e', roleAlias: 'r', certificate: 'c', privateKey: 'k', discoveryClientConfig: { maxAttempts: 2 } }), withRefresh())
export const code: CredentialErrorCode = 'PeerMissing'
export const start: [() => Promise<StsEmulator>, () => Promise<IotEmulator>] = [startStsEmulator, startIotEmulator]
`

// Handlers as users write them. Each runs once when loaded and prints what it got; the
// configuration comes from the environment (the emulators' endpoints).
const stsBody = `
const clients = pipe(
  fromAssumeRole({ RoleArn: process.env.ROLE_ARN }, { region: 'us-east-1', clientConfig: { endpoint: process.env.STS_ENDPOINT } }),
  withRefresh(),
  withClientCache({ region: 'us-east-1', defaults: { endpoint: process.env.STS_ENDPOINT } }),
)
const handler = async () => {
  const credentials = await clients.credentials()
  const { Arn } = await clients.whoami()
  return credentials.expiration ? Arn : 'no expiration'
}
`
const iotBody = `
const credentials = pipe(
  fromIotCertificate({
    endpoint: process.env.IOT_HOST, connectTo: JSON.parse(process.env.IOT_ADDRESS), ca: process.env.IOT_CA,
    certificate: process.env.IOT_CERT, privateKey: process.env.IOT_KEY, roleAlias: 'device-role', timeoutMs: 5000,
  }),
  withRefresh(),
)
const handler = async () => (await credentials()).accessKeyId
`
const raBody = `
const credentials = pipe(
  fromRolesAnywhere({
    trustAnchorArn: process.env.RA_TRUST_ANCHOR, profileArn: process.env.RA_PROFILE, roleArn: process.env.RA_ROLE, endpoint: process.env.RA_ENDPOINT,
    certificate: process.env.RA_CERT, privateKey: process.env.RA_KEY, intermediates: process.env.RA_CHAIN || undefined, timeoutMs: 5000,
  }),
  withRefresh(),
)
const handler = async () => (await credentials()).accessKeyId
`
const runs = `handler().then((v) => console.log('ok ' + v), (e) => { console.log('error ' + (e && e.code) + ' ' + (e && e.message)); process.exitCode = 1 })\n`
export const handlers = [
  {
    name: 'sts-import',
    file: 'sts-import.mjs',
    measure: true,
    source: `import { fromAssumeRole, withRefresh, withClientCache, pipe } from 'aws-refresh-session'\n${stsBody}${runs}`,
  },
  {
    name: 'sts-require',
    file: 'sts-require.cjs',
    measure: true,
    source: `const { fromAssumeRole, withRefresh, withClientCache, pipe } = require('aws-refresh-session')\n${stsBody}${runs}`,
  },
  {
    name: 'iot-import',
    file: 'iot-import.mjs',
    source: `import { fromIotCertificate, withRefresh, pipe } from 'aws-refresh-session'\n${iotBody}${runs}`,
  },
  {
    name: 'iot-require',
    file: 'iot-require.cjs',
    source: `const { fromIotCertificate, withRefresh, pipe } = require('aws-refresh-session')\n${iotBody}${runs}`,
  },
  {
    name: 'ra-import',
    file: 'ra-import.mjs',
    source: `import { fromRolesAnywhere, withRefresh, pipe } from 'aws-refresh-session'\n${raBody}${runs}`,
  },
  {
    name: 'ra-require',
    file: 'ra-require.cjs',
    source: `const { fromRolesAnywhere, withRefresh, pipe } = require('aws-refresh-session')\n${raBody}${runs}`,
  },
]

// The root entry loads only what the common STS path needs: no TLS/HTTPS/child-process
// modules of Node, no otplib, no fp-ts Either, no optional peer, no Roles Anywhere signer,
// transport or decoder. The library ships bundled, so the files it loads are mapped back to
// source modules with the build's manifest (scripts/build.mjs); a CommonJS run reads them
// from require.cache, an ES module run follows the entry's static imports.
const FORBIDDEN_OWN =
  /iot\/(iotHttps|iotPkcs11|iotDiscovery|iotResponse)|decodeCredentials|internal\/otp|rolesAnywhere\/(createSession|sign|transport|response)|lib\/cli\/|lib\/testing\//
const lightCheck = (manifest, format) => `
const { readFileSync } = require('node:fs')
const { dirname, join, relative, sep } = require('node:path')
const manifest = ${JSON.stringify(manifest)}
const dist = join(dirname(require.resolve('aws-refresh-session/package.json')), 'dist')
const own = (file) => relative(dist, file).split(sep).join('/')
const staticGraph = (file, seen = new Set()) => {
  if (seen.has(file)) return seen
  seen.add(file)
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|^import) '(\\.{1,2}\\/[^']+)'/gm)) staticGraph(join(dirname(file), m[1]), seen)
  return seen
}
const ownFiles = ${format === 'cjs' ? 'Object.keys(require.cache).filter((f) => f.startsWith(dist)).map(own)' : "[...staticGraph(join(dist, 'esm', 'index.js'))].map(own)"}
const unmapped = ownFiles.filter((f) => !manifest[f])
if (unmapped.length > 0) { console.error('not in the build manifest: ' + unmapped.join(', ')); process.exit(1) }
const modules = ownFiles.flatMap((f) => manifest[f])
if (!modules.includes('lib/errors.ts') || !modules.includes('lib/sources/fromAssumeRole.ts')) { console.error('the manifest does not describe this build: ' + modules.join(', ')); process.exit(1) }
const natives = process.moduleLoadList.filter((m) => /^NativeModule (net|tls|https|_http_client|child_process|dgram)$/.test(m))
const packages = Object.keys(require.cache).filter((f) => /@otplib|fp-ts[\\/]lib[\\/]Either|client-iot|aws-crt|signature-v4|credential-providers/.test(f))
const heavy = modules.filter((m) => ${FORBIDDEN_OWN}.test(m))
if (natives.length + packages.length + heavy.length > 0) { console.error('the root entry loads ' + [...natives, ...packages, ...heavy].join(', ')); process.exit(1) }
console.log('${format === 'cjs' ? 'require' : 'import'}: the root entry is light: ' + ownFiles.length + ' files, ' + modules.length + ' modules')
`
export const lightCjs = (manifest) => `require('aws-refresh-session')\n${lightCheck(manifest, 'cjs')}`
export const lightMjs = (manifest) =>
  `import 'aws-refresh-session'\nimport { createRequire } from 'node:module'\nconst require = createRequire(import.meta.url)\n${lightCheck(manifest, 'esm')}`
