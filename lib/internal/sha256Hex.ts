// SHA-256 as FIPS 180-4 defines it (sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2), in plain
// code for the CLI's cache hit: `node:crypto` is not in Node's start-up snapshot, and
// loading it costs more than the rest of a hit. Everything else keeps using `node:crypto`.

/** The first `count` prime numbers (trial division by the primes up to the square root). */
const primes = (count: number): number[] => {
  const found: number[] = []
  for (let n = 2; found.length < count; n++) {
    let prime = true
    for (let i = 0; prime && i < found.length && found[i]! * found[i]! <= n; i++) prime = n % found[i]! !== 0
    if (prime) found.push(n)
  }
  return found
}

/** The first 32 bits of the fractional part of `x` (exact: both steps are exact in binary floating point). */
const fraction32 = (x: number): number => ((x - Math.floor(x)) * 2 ** 32) | 0

/** The first 32 bits of the fractional parts of `root` of the first `count` primes. */
const rootFractions = (count: number, root: (p: number) => number): readonly number[] =>
  Object.freeze(primes(count).map((p) => fraction32(root(p))))

// Marked pure, so that a bundler drops them with the rest of this module when nothing uses it.
/** The round constants: the fractional parts of the cube roots of the first 64 primes (4.2.2). */
const K = /* @__PURE__ */ rootFractions(64, (p) => Math.cbrt(p))
/** The initial hash value: the fractional parts of the square roots of the first 8 primes (5.3.3). */
const H0 = /* @__PURE__ */ rootFractions(8, (p) => Math.sqrt(p))

/**
 * The block at `at` folded into the hash value `H` (6.2.2): the message schedule `w`, then
 * the rounds, eight per turn: the working variables take each other's roles from round to
 * round instead of being moved, and ROTR (3.2), σ0, σ1, Σ0, Σ1, Ch and Maj (4.1.2) are
 * written out in place. A hit runs this in the interpreter, where a call or a move costs
 * about as much as the arithmetic, and one long function is the last to be handed to the
 * optimizing compiler (whose compile would cost more than the whole hit).
 */
const compress = (H: Int32Array, w: Int32Array, bytes: Uint8Array, at: number): void => {
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
  let a = H[0]!
  let b = H[1]!
  let c = H[2]!
  let d = H[3]!
  let e = H[4]!
  let f = H[5]!
  let g = H[6]!
  let h = H[7]!
  // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]; d += T1; h = T1 + Σ0(a) + Maj(a, b, c); then the roles shift.
  let x: number
  for (let t = 0; t < 64; t += 8) {
    x = (h + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0
    x = (x + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0
    d = (d + x) | 0
    h = (x + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))) | 0
    h = (h + ((a & b) ^ (a & c) ^ (b & c))) | 0

    x = (g + ((d & e) ^ (~d & f)) + K[t + 1]! + w[t + 1]!) | 0
    x = (x + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0
    c = (c + x) | 0
    g = (x + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))) | 0
    g = (g + ((h & a) ^ (h & b) ^ (a & b))) | 0

    x = (f + ((c & d) ^ (~c & e)) + K[t + 2]! + w[t + 2]!) | 0
    x = (x + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0
    b = (b + x) | 0
    f = (x + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))) | 0
    f = (f + ((g & h) ^ (g & a) ^ (h & a))) | 0

    x = (e + ((b & c) ^ (~b & d)) + K[t + 3]! + w[t + 3]!) | 0
    x = (x + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0
    a = (a + x) | 0
    e = (x + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))) | 0
    e = (e + ((f & g) ^ (f & h) ^ (g & h))) | 0

    x = (d + ((a & b) ^ (~a & c)) + K[t + 4]! + w[t + 4]!) | 0
    x = (x + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0
    h = (h + x) | 0
    d = (x + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))) | 0
    d = (d + ((e & f) ^ (e & g) ^ (f & g))) | 0

    x = (c + ((h & a) ^ (~h & b)) + K[t + 5]! + w[t + 5]!) | 0
    x = (x + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0
    g = (g + x) | 0
    c = (x + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))) | 0
    c = (c + ((d & e) ^ (d & f) ^ (e & f))) | 0

    x = (b + ((g & h) ^ (~g & a)) + K[t + 6]! + w[t + 6]!) | 0
    x = (x + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0
    f = (f + x) | 0
    b = (x + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))) | 0
    b = (b + ((c & d) ^ (c & e) ^ (d & e))) | 0

    x = (a + ((f & g) ^ (~f & h)) + K[t + 7]! + w[t + 7]!) | 0
    x = (x + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0
    e = (e + x) | 0
    a = (x + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))) | 0
    a = (a + ((b & c) ^ (b & d) ^ (c & d))) | 0
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
  for (let at = 0; at < bytes.length; at += 64) compress(H, w, bytes, at)
  let hex = ''
  for (const v of H) hex += (v >>> 0).toString(16).padStart(8, '0')
  return hex
}
