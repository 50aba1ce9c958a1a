// SHA-256 as FIPS 180-4 defines it (sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2), in plain
// code for the CLI's cache hit: `node:crypto` is not in Node's start-up snapshot, and
// loading it costs more than the rest of a hit. Everything else keeps using `node:crypto`.

/** The first `count` prime numbers. */
const primes = (count: number): number[] => {
  const found: number[] = []
  for (let n = 2; found.length < count; n++) if (found.every((p) => n % p !== 0)) found.push(n)
  return found
}

/** The first 32 bits of the fractional part of `x` (exact: both steps are exact in binary floating point). */
const fraction32 = (x: number): number => ((x - Math.floor(x)) * 2 ** 32) >>> 0

/** The round constants: the fractional parts of the cube roots of the first 64 primes (4.2.2). */
const K: readonly number[] = Object.freeze(primes(64).map((p) => fraction32(Math.cbrt(p))))
/** The initial hash value: the fractional parts of the square roots of the first 8 primes (5.3.3). */
const H0: readonly number[] = Object.freeze(primes(8).map((p) => fraction32(Math.sqrt(p))))

/** The message schedule W of the block at `at` (6.2.2 step 1), with σ0 and σ1 (4.1.2) written out. */
const schedule = (w: Int32Array, bytes: Uint8Array, at: number): void => {
  for (let t = 0; t < 16; t++) {
    const i = at + 4 * t
    w[t] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!
  }
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!
    const y = w[t - 2]!
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0
  }
}

/**
 * One block folded into the hash value `H` (6.2.2 steps 2-4). ROTR (3.2), Σ0, Σ1, Ch and
 * Maj (4.1.2) are written out in place: a hit runs this in the interpreter, where a call
 * costs about as much as the arithmetic of a round.
 */
const compress = (H: Int32Array, w: Int32Array): void => {
  let a = H[0]!
  let b = H[1]!
  let c = H[2]!
  let d = H[3]!
  let e = H[4]!
  let f = H[5]!
  let g = H[6]!
  let h = H[7]!
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  H[0] = (H[0]! + a) | 0
  H[1] = (H[1]! + b) | 0
  H[2] = (H[2]! + c) | 0
  H[3] = (H[3]! + d) | 0
  H[4] = (H[4]! + e) | 0
  H[5] = (H[5]! + f) | 0
  H[6] = (H[6]! + g) | 0
  H[7] = (H[7]! + h) | 0
}

/**
 * The SHA-256 digest of `data` (a string is hashed as UTF-8), in lower-case hex: the same
 * text as `createHash('sha256').update(data).digest('hex')`, without loading `node:crypto`.
 * @internal
 */
export const sha256Hex = (data: string | Uint8Array): string => {
  const input = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  // The message, a 1 bit, zeros, and its length in bits as 64 bits: a whole number of blocks (5.1.1).
  const bytes = new Uint8Array(Math.ceil((input.length + 9) / 64) * 64)
  bytes.set(input)
  bytes[input.length] = 0x80
  const view = new DataView(bytes.buffer)
  view.setUint32(bytes.length - 8, Math.floor(input.length / 2 ** 29))
  view.setUint32(bytes.length - 4, (input.length * 8) >>> 0)
  const H = Int32Array.from(H0)
  const w = new Int32Array(64)
  for (let at = 0; at < bytes.length; at += 64) {
    schedule(w, bytes, at)
    compress(H, w)
  }
  let hex = ''
  for (const v of H) hex += (v >>> 0).toString(16).padStart(8, '0')
  return hex
}
