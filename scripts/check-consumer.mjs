// What a new user gets from the packed tarball: a fresh project that installs only
// aws-refresh-session (npm adds its required peer @aws-sdk/client-sts) and @aws-sdk/client-s3,
// from the npm cache where it can (--prefer-offline). Checks that both entries load with `require` and `import`
// (the STS emulator runs; the IoT and Roles Anywhere emulators name their missing packages), that the types pass
// `tsc --strict` without skipLibCheck under node16 and bundler, and that esbuild bundles STS,
// IoT and Roles Anywhere handlers written with `import` and with `require`, in both output formats, each
// running from a folder with no node_modules against the emulators; and that the library's
// share of the minified STS bundle (SDK and smithy external) stays within its budget.
//   node scripts/check-consumer.mjs path/to/aws-refresh-session-x.y.z.tgz
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { handlers, lightCjs, lightMjs, smokeCjs, smokeMjs, typesTs } from './consumerFiles.mjs'

/**
 * Bytes of the library's own code in the minified STS bundle of the `import` handler: the
 * README's 20 KiB budget (the bundle-size figure of `npm run bench` measures the same from
 * `dist/`), so a change that grows the common STS path past it fails here too.
 */
const STS_BUNDLE_BUDGET_BYTES = 20 * 1024
const OPTIONAL = ['@aws-sdk/client-iot', 'aws-crt', '@peculiar/x509', 'reflect-metadata']

const root = resolve(import.meta.dirname, '..')
const tarball = resolve(process.argv[2] ?? 'missing-tarball-argument')
const env = {
  ...process.env,
  npm_config_update_notifier: 'false',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
}
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: 'inherit', env })
const fail = (message) => {
  throw new Error(`check-consumer: ${message}`)
}
const rootRequire = createRequire(join(root, 'package.json'))

const install = (project) => {
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }))
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, '@aws-sdk/client-s3'],
    project,
  )
  const req = createRequire(join(project, 'index.js'))
  req.resolve('@aws-sdk/client-sts') // the required peer, installed by npm
  for (const name of OPTIONAL) {
    try {
      req.resolve(name)
    } catch {
      continue
    }
    fail(`${name} is installed, but only an optional peer should need it`)
  }
}

const checkTypes = (project) => {
  writeFileSync(join(project, 'types.ts'), typesTs)
  // The repository's compiler and Node types: the consumer's own install stays minimal.
  const tsc = rootRequire.resolve('typescript/bin/tsc')
  const typeRoots = join(root, 'node_modules', '@types')
  for (const [module, resolution] of [
    ['node16', 'node16'],
    ['esnext', 'bundler'],
  ]) {
    run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--target',
        'es2022',
        '--typeRoots',
        typeRoots,
        '--types',
        'node',
        '--module',
        module,
        '--moduleResolution',
        resolution,
        'types.ts',
      ],
      project,
    )
    console.log(`types (${resolution}, --strict, no skipLibCheck): ok`)
  }
}

const bundle = async (project, out) => {
  const { build } = rootRequire('esbuild')
  const sizes = []
  const bundles = []
  for (const h of handlers) {
    writeFileSync(join(project, h.file), h.source)
    const entryPoints = [join(project, h.file)]
    for (const format of ['cjs', 'esm']) {
      const outfile = join(out, `${h.name}.${format === 'esm' ? 'mjs' : 'cjs'}`)
      // The SDK's CommonJS code requires Node built-ins; an ES module bundle needs a `require`
      // for them, the banner esbuild users (and AWS CDK's NodejsFunction) add.
      const banner =
        format === 'esm'
          ? { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
          : {}
      await build({
        entryPoints,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format,
        outfile,
        banner,
        logLevel: 'error',
      })
      bundles.push({ name: `${h.name} (${format})`, kind: h.name.split('-')[0], outfile })
      if (!h.measure) continue
      const sized = await build({
        entryPoints,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format,
        minify: true,
        write: false,
        metafile: true,
        external: ['@aws-sdk/*', '@smithy/*'],
        logLevel: 'error',
      })
      const [output] = Object.values(sized.metafile.outputs)
      const bytesOf = (keep) =>
        Object.entries(output.inputs)
          .filter(([file]) => keep(file))
          .reduce((n, [, v]) => n + v.bytesInOutput, 0)
      const own = bytesOf((file) => /node_modules[\\/]aws-refresh-session[\\/]/.test(file))
      sizes.push({
        name: `${h.name} (${format})`,
        bytes: own,
        dependencies: bytesOf((file) => !file.endsWith(h.file)) - own,
      })
    }
  }
  return { sizes, bundles }
}

// Each bundle runs from `out` (no node_modules there or above) against emulators started here.
const runBundles = async (bundles, out) => {
  const { startStsEmulator, startIotEmulator, startRolesAnywhereEmulator } = rootRequire('./dist/cjs/testing/index.js')
  const sts = await startStsEmulator()
  const iot = await startIotEmulator()
  const ra = await startRolesAnywhereEmulator()
  try {
    const childEnv = {
      PATH: process.env.PATH,
      HOME: out,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: sts.baseCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sts.baseCredentials.secretAccessKey,
      ROLE_ARN: sts.roleArns[0],
      STS_ENDPOINT: sts.endpoint,
      IOT_HOST: iot.hostName,
      IOT_ADDRESS: JSON.stringify(iot.address),
      IOT_CA: iot.ca,
      IOT_CERT: iot.device.certificate,
      IOT_KEY: iot.device.privateKey,
      RA_TRUST_ANCHOR: ra.trustAnchorArn,
      RA_PROFILE: ra.profileArn,
      RA_ROLE: ra.roleArn,
      RA_ENDPOINT: ra.endpoint,
      RA_CERT: ra.certificate.certificate,
      RA_KEY: ra.certificate.privateKey,
      RA_CHAIN: ra.certificate.intermediates ?? '',
    }
    for (const b of bundles) {
      // Asynchronously: the emulators answer from this process's event loop.
      const r = await new Promise((done) =>
        execFile(process.execPath, [b.outfile], { cwd: out, env: childEnv, timeout: 30_000 }, (error, stdout, stderr) =>
          done({ error, stdout, stderr }),
        ),
      )
      const line = r.stdout.trim().split('\n').pop() ?? ''
      if (r.error || !line.startsWith('ok ')) fail(`the ${b.name} bundle failed: ${line || r.stderr}`)
      console.log(`bundle ${b.name} runs without node_modules: ${line}`)
    }
  } finally {
    await Promise.all([sts.close(), iot.close(), ra.close()])
  }
}

const work = mkdtempSync(join(tmpdir(), 'ars-consumer-'))
try {
  const project = join(work, 'project')
  install(project)
  // The build that was packed wrote it (scripts/build.mjs).
  const manifest = JSON.parse(readFileSync(join(root, '.cache', 'build-manifest.json'), 'utf8'))
  writeFileSync(join(project, 'light.cjs'), lightCjs(manifest))
  writeFileSync(join(project, 'light.mjs'), lightMjs(manifest))
  run(process.execPath, ['light.cjs'], project)
  run(process.execPath, ['light.mjs'], project)
  // Node's ESM loader sees every named export of the CommonJS build, as of the ES one.
  writeFileSync(
    join(project, 'cjs-names.mjs'),
    `import * as esm from 'aws-refresh-session'\nimport { createRequire } from 'node:module'\n` +
      `const file = createRequire(import.meta.url).resolve('aws-refresh-session')\n` +
      `const cjs = await import(file)\nconst missing = Object.keys(esm).filter((k) => !(k in cjs))\n` +
      `if (missing.length > 0) { console.error('not visible to import from ' + file + ': ' + missing.join(', ')); process.exit(1) }\n` +
      `console.log('import of the CommonJS build: all ' + Object.keys(esm).length + ' named exports')\n`,
  )
  run(process.execPath, ['cjs-names.mjs'], project)
  // The executable as npm links it (its shebang, its mode).
  const version = execFileSync(join(project, 'node_modules', '.bin', 'aws-refresh-session'), ['--version'], {
    cwd: project,
    env,
    encoding: 'utf8',
  }).trim()
  if (version !== rootRequire('./package.json').version) fail(`aws-refresh-session --version printed ${version}`)
  console.log(`bin: aws-refresh-session --version ${version}`)
  writeFileSync(join(project, 'smoke.cjs'), smokeCjs)
  writeFileSync(join(project, 'smoke.mjs'), smokeMjs)
  // A device certificate from this repository's test CA (the consumer has no @peculiar/x509).
  const device = await (
    await rootRequire('./dist/cjs/testing/index.js').createTestCertificateAuthority()
  ).issue({ commonName: 'device', usage: 'client' })
  // A profile the SDK's fromProcess serves: fromProfile must name @aws-sdk/credential-providers.
  writeFileSync(join(project, 'aws-config'), '[profile proc]\ncredential_process = /bin/false\n')
  const smokeEnv = {
    ...env,
    SMOKE_CERT: device.certificate,
    SMOKE_KEY: device.privateKey,
    AWS_CONFIG_FILE: join(project, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(project, 'aws-credentials'),
  }
  for (const file of ['smoke.cjs', 'smoke.mjs'])
    execFileSync(process.execPath, [file], { cwd: project, stdio: 'inherit', env: smokeEnv })
  checkTypes(project)
  const out = join(work, 'bundles')
  mkdirSync(out)
  const { sizes, bundles } = await bundle(project, out)
  await runBundles(bundles, out)
  for (const s of sizes) {
    console.log(
      `bundle size: minified ${s.name} STS bundle (SDK and smithy external): the library's own code ${(s.bytes / 1024).toFixed(1)} KiB, its other dependencies (fp-ts, ...) ${(s.dependencies / 1024).toFixed(1)} KiB`,
    )
  }
  const esm = sizes.find((s) => s.name === 'sts-import (esm)')
  if (!esm || esm.bytes > STS_BUNDLE_BUDGET_BYTES)
    fail(
      `the minified sts-import (esm) bundle holds ${esm?.bytes} bytes of the library, over the ${STS_BUNDLE_BUDGET_BYTES} budget`,
    )
  console.log(`bundle size: within the ${STS_BUNDLE_BUDGET_BYTES / 1024} KiB budget`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
