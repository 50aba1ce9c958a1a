import { X509Certificate } from 'node:crypto'
import { createTestCertificateAuthority, type TestCertificateAuthority } from '../createTestCertificateAuthority.js'
import type { RolesAnywhereCertificate, RolesAnywhereCertificateOptions } from './types.js'

/** The emulator's test PKI: the trust anchor's root, an intermediate under it, and a CA no anchor holds. */
export type Pki = {
  readonly root: TestCertificateAuthority
  readonly intermediate: TestCertificateAuthority
  readonly foreign: TestCertificateAuthority
}

export const createPki = async (): Promise<Pki> => {
  const [root, foreign] = await Promise.all([
    createTestCertificateAuthority('Roles Anywhere emulator root CA'),
    createTestCertificateAuthority('Roles Anywhere emulator untrusted CA'),
  ])
  return { root, foreign, intermediate: await root.createIntermediate('Roles Anywhere emulator intermediate CA') }
}

/** Issues a workload (client) certificate from the root, the intermediate or the untrusted CA. */
export const issuer =
  (pki: Pki) =>
  async (o: RolesAnywhereCertificateOptions = {}): Promise<RolesAnywhereCertificate> => {
    const via = o.viaIntermediate ?? true
    const ca = o.foreignCa === true ? pki.foreign : via ? pki.intermediate : pki.root
    const issued = await ca.issue({
      commonName: o.commonName ?? 'roles-anywhere-workload',
      usage: 'client',
      ...(o.keyType ? { keyType: o.keyType } : {}),
      ...(o.notAfter ? { notAfter: o.notAfter } : {}),
      ...(o.notBefore ? { notBefore: o.notBefore } : {}),
    })
    const intermediates = via && o.foreignCa !== true ? pki.intermediate.certificate : undefined
    return {
      ...issued,
      intermediates,
      serial: BigInt(`0x${new X509Certificate(issued.certificate).serialNumber}`).toString(10),
    }
  }
