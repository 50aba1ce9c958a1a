import type { Readable } from 'node:stream'

/**
 * @internal Collects a response body as UTF-8 text; past `maxBytes` (the services' answers
 * are a few KiB, more is not the service) the stream is destroyed with `tooLarge()`.
 */
export const readBody = (
  res: Readable,
  maxBytes: number,
  tooLarge: () => Error,
  done: (body: string) => void,
  fail: (e: unknown) => void,
): void => {
  const chunks: Buffer[] = []
  let size = 0
  res.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > maxBytes) res.destroy(tooLarge())
    else chunks.push(chunk)
  })
  res.on('error', fail)
  res.on('end', () => done(Buffer.concat(chunks).toString('utf8')))
}
