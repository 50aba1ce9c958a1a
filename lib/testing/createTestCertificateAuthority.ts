import { loadPeer } from '../internal/loadPeer.js'
import type { TestCertificateAuthority } from './testCertificateTypes.js'

export type {
  IssueCertificateOptions,
  TestCertificate,
  TestCertificateAuthority,
  TestKeyType,
} from './testCertificateTypes.js'

/**
 * Creates an in-memory ECDSA P-256 certificate authority valid for one day, to issue
 * test server and device certificates. Nothing is written to disk; nothing expiring
 * needs to be committed. Generation takes a few milliseconds. Loads the optional peers
 * `reflect-metadata` and `@peculiar/x509` at the first call.
 *
 * @throws CredentialError `PeerMissing` when `@peculiar/x509` or `reflect-metadata` is not installed.
 *
 * @example
 * ```ts
 * const ca = await createTestCertificateAuthority('Other CA')
 * const stranger = await ca.issue({ commonName: 'device', usage: 'client' })
 * ```
 * @category testing
 * @since 0.1.0
 */
export const createTestCertificateAuthority = async (
  commonName = 'aws-refresh-session test CA',
): Promise<TestCertificateAuthority> => {
  const peer = {
    source: 'createTestCertificateAuthority',
    purpose: 'test certificates (the IoT emulator)',
    with: ['@peculiar/x509'],
  }
  await loadPeer('reflect-metadata', peer)
  const { createCertificateAuthority } = await loadPeer<typeof import('./iot/certificates.js')>('@peculiar/x509', {
    ...peer,
    with: ['reflect-metadata'],
    load: () => import('./iot/certificates.js'),
  })
  return createCertificateAuthority(commonName)
}
