import type { CredentialSource } from '../types.js'

/**
 * The name a wrapped source is reported under in errors and events.
 * @internal
 */
export const sourceName = (self: CredentialSource): string => (self.name !== 'anonymous' && self.name) || 'source'
