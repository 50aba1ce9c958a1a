import type { CredentialSource, Transformed } from '../types.js'

/**
 * Gives a transform's wrapper the members of `self` that must survive wrapping:
 * `mfaSerialNumber` (so `withMfa` can still be applied) and `close` (so resources are
 * released by the outermost provider).
 */
export const inherit = <S extends CredentialSource>(
  wrapper: (context?: Parameters<CredentialSource>[0]) => ReturnType<CredentialSource>,
  self: S,
): Transformed<S> => {
  const members: { mfaSerialNumber?: string | undefined; close?: () => void } = {}
  if ('mfaSerialNumber' in self) members.mfaSerialNumber = (self as { mfaSerialNumber?: string }).mfaSerialNumber
  if (typeof self.close === 'function') members.close = self.close
  // Errors and events name the real source, not the wrapper.
  Object.defineProperty(wrapper, 'name', { value: self.name, configurable: true })
  return Object.assign(wrapper, members) as unknown as Transformed<S>
}
