import { inheritedClientConfig } from '../../lib/internal/callerConfig'

/** A request handler with a private field, as a user's own handler class may have. */
class PrivateHandler {
  readonly #sent: unknown[] = []
  readonly metadata = { handlerProtocol: 'http/1.1' }
  destroyed = false
  async handle(request: unknown): Promise<{ response: unknown }> {
    this.#sent.push(request)
    return { response: { statusCode: 200 } }
  }
  sent(): number {
    return this.#sent.length
  }
  destroy(): void {
    this.destroyed = true
  }
}

describe('inheritedClientConfig', () => {
  const callerWith = (requestHandler: unknown) =>
    ({ region: async () => 'r', requestHandler }) as unknown as Parameters<typeof inheritedClientConfig>[2]

  it("borrows the caller's request handler: its methods run on it, but destroy() does nothing", async () => {
    const handler = new PrivateHandler()
    const { config } = inheritedClientConfig({}, undefined, callerWith(handler))
    const borrowed = config['requestHandler'] as PrivateHandler
    expect(borrowed).not.toBe(handler)
    await borrowed.handle('request')
    expect(handler.sent()).toBe(1)
    expect(borrowed.metadata).toBe(handler.metadata)
    borrowed.destroy()
    expect(handler.destroyed).toBe(false)
  })

  it('takes no HTTP/2 handler, and the own config wins over the caller where it sets a key', () => {
    const h2 = Object.assign(new PrivateHandler(), { metadata: { handlerProtocol: 'h2' } })
    expect(inheritedClientConfig({}, undefined, callerWith(h2)).config['requestHandler']).toBeUndefined()
    const own = new PrivateHandler()
    const caller = { ...callerWith(new PrivateHandler()), profile: 'theirs', userAgentAppId: async () => 'app' }
    const { config } = inheritedClientConfig(
      { requestHandler: own, profile: undefined, userAgentAppId: undefined },
      undefined,
      caller as never,
    )
    expect(config['requestHandler']).toBe(own)
    expect(config['profile']).toBe('theirs')
    expect(config['userAgentAppId']).toBe(caller.userAgentAppId)
  })
})
