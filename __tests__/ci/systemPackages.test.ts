import { hasSystemPackage } from '../support/systemPackages.js'

describe('hasSystemPackage', () => {
  const missing = { PATH: '/nonexistent' }

  it('prints one line naming the Debian package and skips when it is missing', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(hasSystemPackage('openssl', 'PKCS#12 tests', missing)).toBe(false)
      expect(write.mock.calls).toEqual([
        ['skipped PKCS#12 tests: needs the Debian package openssl (apt-get install openssl)\n'],
      ])
    } finally {
      write.mockRestore()
    }
  })

  it('fails instead of skipping when REQUIRE_SYSTEM_PACKAGES=1, as .ci/run sets it', () => {
    expect(() => hasSystemPackage('openssl', 'PKCS#12 tests', { ...missing, REQUIRE_SYSTEM_PACKAGES: '1' })).toThrow(
      /needs the Debian package openssl .*REQUIRE_SYSTEM_PACKAGES=1/,
    )
    expect(() => hasSystemPackage('softhsm2', 'PKCS#11 tests', { ...missing, REQUIRE_SYSTEM_PACKAGES: '1' })).toThrow(
      /softhsm2 \(apt-get install softhsm2\)/,
    )
  })
})
