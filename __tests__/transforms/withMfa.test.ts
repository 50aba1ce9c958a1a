import { pipe } from 'fp-ts/function'
import { withRefresh } from '../../lib/refresh/withRefresh'
import { fromWebIdentity } from '../../lib/sources/fromWebIdentity'
import { withMfa } from '../../lib/transforms/withMfa'
import { withTimeout } from '../../lib/transforms/withTimeout'
import type { MfaCapableSource, SourceContext } from '../../lib/types'

const SERIAL = 'arn:aws:iam::123456789012:mfa/me'

/** An MFA-capable source that records the contexts it was called with. */
const recordingSource = (serial: string | null = SERIAL) => {
  const contexts: (SourceContext | undefined)[] = []
  const close = jest.fn()
  const source: MfaCapableSource = Object.assign(
    async (context?: SourceContext) => {
      contexts.push(context)
      return {
        accessKeyId: 'ASIA',
        secretAccessKey: 's',
        sessionToken: 't',
        expiration: new Date(Date.now() + 3_600_000),
      }
    },
    { mfaSerialNumber: serial ?? undefined, close },
  )
  return { source, contexts, close }
}

const codes = (...values: string[]) => {
  const provider = jest.fn(async (_serial: string) => values.shift() ?? '000000')
  return provider
}

describe('withMfa', () => {
  it('accepts only MFA-capable sources (a type error otherwise)', () => {
    const web = fromWebIdentity({ RoleArn: 'arn:aws:iam::123456789012:role/web', WebIdentityToken: 'token' })
    // @ts-expect-error fromWebIdentity cannot send an MFA code
    expect(() => withMfa(codes())(web)).toThrow(expect.objectContaining({ code: 'InvalidConfiguration' }))
  })

  it("asks for a code at each call and gives the source context.mfa with the source's serial, keeping the rest of the context", async () => {
    const { source, contexts } = recordingSource()
    const provider = codes('111111', '222222')
    const wrapped = withMfa(provider)(source)
    const signal = new AbortController().signal
    await wrapped({ signal })
    await wrapped()
    expect(provider.mock.calls.map((c) => c[0])).toEqual([SERIAL, SERIAL])
    // The provider gets the call's signal, to release a terminal or a child process on abort.
    expect((provider.mock.calls[0] as unknown[])[1]).toMatchObject({ signal })
    expect((provider.mock.calls[1] as unknown[])[1]).toBeUndefined()
    expect(contexts).toEqual([
      { signal, mfa: { serialNumber: SERIAL, tokenCode: '111111' } },
      { mfa: { serialNumber: SERIAL, tokenCode: '222222' } },
    ])
  })

  it('never asks on calls served from a refreshing cache after it', async () => {
    const { source } = recordingSource()
    const provider = codes('111111')
    const credentials = pipe(source, withMfa(provider), withRefresh({ background: false }))
    await Promise.all([credentials(), credentials(), credentials()])
    await credentials()
    expect(provider).toHaveBeenCalledTimes(1)
    credentials.close()
  })

  it('takes the serial from options.serialNumber when the source has none, and fails with InvalidConfiguration when neither has one', async () => {
    const { source, contexts } = recordingSource(null)
    await withMfa(codes('123456'), { serialNumber: SERIAL })(source)()
    expect(contexts[0]?.mfa?.serialNumber).toBe(SERIAL)
    expect(() => withMfa(codes())(source)).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', source: 'withMfa' }),
    )
  })

  it.each(['12345', '1234567', 'abcdef', '12 456'])(
    'fails with MfaCodeInvalid for %j without calling the source',
    async (bad) => {
      const { source, contexts } = recordingSource()
      await expect(withMfa(codes(bad))(source)()).rejects.toMatchObject({ code: 'MfaCodeInvalid' })
      expect(contexts).toHaveLength(0)
    },
  )

  it('never sends the last code again: asks again, and sends the next different code', async () => {
    const { source, contexts } = recordingSource()
    const provider = codes('111111', '111111', '111111', '222222')
    const wrapped = withMfa(provider)(source)
    await wrapped()
    await wrapped()
    expect(provider).toHaveBeenCalledTimes(4)
    expect(contexts.map((c) => c?.mfa?.tokenCode)).toEqual(['111111', '222222'])
  })

  it('never sends one code for two concurrent calls', async () => {
    const { source, contexts } = recordingSource()
    const wrapped = withMfa(codes('111111', '111111', '222222'))(source)
    await Promise.all([wrapped(), wrapped()])
    expect(contexts.map((c) => c?.mfa?.tokenCode).sort()).toEqual(['111111', '222222'])
  })

  it('fails with MfaCodeReused after asking again 3 times, without calling the source', async () => {
    const { source, contexts } = recordingSource()
    const provider = codes('111111', '111111', '111111', '111111', '111111')
    const wrapped = withMfa(provider)(source)
    await wrapped()
    await expect(wrapped()).rejects.toMatchObject({ code: 'MfaCodeReused', source: 'withMfa' })
    expect(provider).toHaveBeenCalledTimes(5)
    expect(contexts).toHaveLength(1)
  })

  it('wraps a failing code provider in SourceFailed with the cause, and passes a CredentialError through', async () => {
    const { source } = recordingSource()
    const boom = new Error('device unplugged')
    await expect(withMfa(async () => Promise.reject(boom))(source)()).rejects.toMatchObject({
      code: 'SourceFailed',
      cause: boom,
    })
    const { CredentialError } = await import('../../lib/errors')
    const own = new CredentialError('no tty', { code: 'MfaRequired', source: 'promptForCode' })
    await expect(withMfa(async () => Promise.reject(own))(source)()).rejects.toBe(own)
  })

  describe('with a code provider that never answers', () => {
    beforeEach(() => jest.useFakeTimers())
    afterEach(() => jest.useRealTimers())

    it("stops waiting when the call's signal aborts (withTimeout), so the next call can ask", async () => {
      const { source, contexts } = recordingSource()
      const provider = jest
        .fn((_serial: string): Promise<string> => Promise.resolve('222222'))
        .mockReturnValueOnce(new Promise(() => {}))
      const credentials = pipe(source, withMfa(provider), withTimeout(50))
      const first = credentials().catch((e: unknown) => e)
      await jest.advanceTimersByTimeAsync(50)
      expect(await first).toMatchObject({ code: 'Timeout' })
      const second = credentials().catch((e: unknown) => e)
      await jest.advanceTimersByTimeAsync(50)
      expect(await second).toMatchObject({ accessKeyId: 'ASIA' })
      expect(provider).toHaveBeenCalledTimes(2)
      expect(contexts.map((c) => c?.mfa?.tokenCode)).toEqual(['222222'])
    })

    it('fails a call waiting for its turn with Aborted when its signal aborts, and never asks for it', async () => {
      const { source } = recordingSource()
      let answer: (code: string) => void = () => undefined
      const provider = jest.fn((_serial: string) => new Promise<string>((resolve) => (answer = resolve)))
      const wrapped = withMfa(provider)(source)
      const first = wrapped()
      const controller = new AbortController()
      const second = wrapped({ signal: controller.signal }).catch((e: unknown) => e)
      controller.abort()
      expect(await second).toMatchObject({ code: 'Aborted', source: 'withMfa' })
      answer('111111')
      await expect(first).resolves.toMatchObject({ accessKeyId: 'ASIA' })
      expect(provider).toHaveBeenCalledTimes(1)
    })
  })

  it('rejects a codeProvider that is not a function and a serialNumber that is not a non-empty string at once', () => {
    expect(() => withMfa('123456' as never)).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining('codeProvider') }),
    )
    for (const serialNumber of [5, '', null])
      expect(() => withMfa(codes(), { serialNumber } as never)).toThrow(
        expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining('serialNumber') }),
      )
    expect(() => withMfa(codes(), null as never)).toThrow(
      expect.objectContaining({ code: 'InvalidConfiguration', message: expect.stringContaining('options') }),
    )
  })

  it("keeps the source's close() and mfaSerialNumber", () => {
    const { source, close } = recordingSource()
    const wrapped = withMfa(codes())(source)
    wrapped.close?.()
    expect(close).toHaveBeenCalledTimes(1)
  })
})
