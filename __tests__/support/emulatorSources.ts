import type { FromIotCertificateOptions } from '../../lib/sources/fromIotCertificate'
import type { FromRolesAnywhereOptions } from '../../lib/sources/fromRolesAnywhere'
import type { IotEmulator } from '../../lib/testing/startIotEmulator'
import type { RolesAnywhereCertificate, RolesAnywhereEmulator } from '../../lib/testing/startRolesAnywhereEmulator'

/**
 * `fromIotCertificate` options for the IoT emulator's ready device and its `device-role`,
 * reached by the IoT host name (SNI) through `connectTo`.
 */
export const iotDeviceOptions = (iot: IotEmulator) =>
  ({
    endpoint: iot.hostName,
    connectTo: iot.address,
    ca: iot.ca,
    certificate: iot.device.certificate,
    privateKey: iot.device.privateKey,
    roleAlias: 'device-role',
  }) satisfies FromIotCertificateOptions

/**
 * `fromRolesAnywhere` options for the Roles Anywhere emulator's trust anchor, first profile
 * and first role, signed with `c` (default: its ready certificate) and its chain when it has one.
 */
export const rolesAnywhereOptions = (ra: RolesAnywhereEmulator, c: RolesAnywhereCertificate = ra.certificate) =>
  ({
    endpoint: ra.endpoint,
    trustAnchorArn: ra.trustAnchorArn,
    profileArn: ra.profileArn,
    roleArn: ra.roleArn,
    certificate: c.certificate,
    privateKey: c.privateKey,
    ...(c.intermediates === undefined ? {} : { intermediates: c.intermediates }),
  }) satisfies FromRolesAnywhereOptions
