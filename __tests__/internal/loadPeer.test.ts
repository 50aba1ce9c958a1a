import { loadPeer } from '../../lib/internal/loadPeer.js'

const notFound = (name: string): Error =>
  Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' })

describe('loadPeer', () => {
  it('loads an installed package by its name', async () => {
    const fn = await loadPeer<{ pipe: (a: number, f: (n: number) => number) => number }>('fp-ts/lib/function.js', {
      source: 'test',
      purpose: 'a check',
    })
    expect(fn.pipe(1, (n) => n + 1)).toBe(2)
  })

  it('rejects with PeerMissing naming the package to install when it is not installed', async () => {
    const p = loadPeer('aws-refresh-session-no-such-peer', { source: 'fromIotCertificate', purpose: 'pkcs11' })
    await expect(p).rejects.toMatchObject({
      name: 'CredentialError',
      code: 'PeerMissing',
      source: 'fromIotCertificate',
      message: expect.stringContaining(
        'pkcs11 needs aws-refresh-session-no-such-peer (not installed); run npm install aws-refresh-session-no-such-peer',
      ),
    })
  })

  it('names every package that goes with it, and keeps the loader error as cause', async () => {
    const cause = notFound('@peculiar/x509')
    const p = loadPeer('@peculiar/x509', {
      source: 'createTestCertificateAuthority',
      purpose: 'test certificates',
      with: ['reflect-metadata'],
      load: () => Promise.reject(cause),
    })
    await expect(p).rejects.toMatchObject({
      code: 'PeerMissing',
      cause,
      message: expect.stringContaining('npm install @peculiar/x509 reflect-metadata'),
    })
  })

  it('reports a package that fails while loading as PeerMissing with its first message line', async () => {
    const p = loadPeer('aws-crt', {
      source: 'fromIotCertificate',
      purpose: 'pkcs11',
      load: () => Promise.reject(new Error('invalid ELF header\nstack')),
    })
    await expect(p).rejects.toMatchObject({
      code: 'PeerMissing',
      message: expect.stringContaining('(could not be loaded: invalid ELF header)'),
    })
  })
})

describe('the STS sources without @aws-sdk/client-sts', () => {
  it('reject with PeerMissing naming @aws-sdk/client-sts, not a plain Error', async () => {
    jest.resetModules()
    jest.doMock('@aws-sdk/client-sts', () => {
      throw notFound('@aws-sdk/client-sts')
    })
    try {
      const { fromAssumeRole } = await import('../../lib/sources/fromAssumeRole.js')
      const source = fromAssumeRole(
        { RoleArn: 'arn:aws:iam::123456789012:role/r' },
        { source: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }), region: 'us-east-1' },
      )
      await expect(source()).rejects.toMatchObject({
        code: 'PeerMissing',
        source: 'fromAssumeRole',
        message: expect.stringContaining('@aws-sdk/client-sts'),
      })
    } finally {
      jest.dontMock('@aws-sdk/client-sts')
    }
  })
})
