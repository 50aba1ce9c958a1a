// aws-refresh-session/testing: loopback emulators of STS, the IoT credentials provider and IAM Roles Anywhere,
// for this library's tests, its demo, and your own tests. Not for production.
export { startStsEmulator } from './startStsEmulator.js'
export type {
  StsAction,
  StsEmulator,
  StsEmulatorOptions,
  StsEmulatorFault,
  StsEmulatorRequest,
  StsEmulatorRole,
  StsFault,
} from './startStsEmulator.js'

export { EMULATOR_DISCOVERY_CREDENTIALS, startIotEmulator } from './startIotEmulator.js'
export type {
  IotDevice,
  IotDeviceFiles,
  IotDeviceOptions,
  IotEmulator,
  IotEmulatorFault,
  IotEmulatorOptions,
  IotFault,
  IotRecordedDiscovery,
  IotRecordedRequest,
  IotRoleAliasOptions,
} from './startIotEmulator.js'

export { createTestCertificateAuthority } from './createTestCertificateAuthority.js'
export type {
  IssueCertificateOptions,
  TestCertificate,
  TestCertificateAuthority,
  TestKeyType,
} from './createTestCertificateAuthority.js'

export { SOFTHSM2_LIBRARY, createSoftHsmToken } from './createSoftHsmToken.js'
export type { CreateSoftHsmTokenOptions, SoftHsmToken } from './createSoftHsmToken.js'

export { startRolesAnywhereEmulator } from './startRolesAnywhereEmulator.js'
export type {
  RolesAnywhereCertificate,
  RolesAnywhereCertificateOptions,
  RolesAnywhereEmulator,
  RolesAnywhereEmulatorOptions,
  RolesAnywhereEmulatorProfile,
  RolesAnywhereEmulatorRequest,
  RolesAnywhereFault,
} from './startRolesAnywhereEmulator.js'

export type { EmulatorFault } from './shared/faults.js'
export type { EmulatorControls, EmulatorRequestRecord } from './shared/types.js'
