/**
 * @module services/metrics/stats/codec
 * The byte-level primitives behind `Distribution.encode` and `encodeAggregate`.
 *
 * One aggregate is stored per series per second or minute, so the encodings must be small:
 * counts and bucket indexes are LEB128 varints (most fit in one byte), signed integers are
 * zigzagged first, and floats are written raw (little-endian) only when a value needs them.
 * Varints here carry any safe integer (up to 2^53), so the arithmetic avoids 32-bit bit
 * operators. A reader that runs off the end or meets an over-long varint throws `RangeError`:
 * a corrupt row must fail loudly rather than decode into plausible numbers.
 */

/** The largest magnitude zigzag can map without losing precision in a double. */
export const MAX_ZIGZAG = 2 ** 51;

const scratch = new DataView(new ArrayBuffer(8));

/** Appends to a growable buffer; `finish()` returns an exact-size copy. */
export class Writer {
  private buf = Buffer.allocUnsafe(64);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  u8(byte: number): void {
    this.reserve(1);
    this.buf[this.len++] = byte & 0xff;
  }

  /** A non-negative safe integer as LEB128. */
  varuint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varuint out of range: ${n}`);
    this.reserve(8);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }

  /** A signed integer with |n| <= MAX_ZIGZAG: small magnitudes of either sign stay short. */
  zigzag(n: number): void {
    if (!Number.isInteger(n) || Math.abs(n) > MAX_ZIGZAG) throw new RangeError(`zigzag out of range: ${n}`);
    this.varuint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  f64(x: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(x, this.len);
    this.len += 8;
  }

  f32(x: number): void {
    scratch.setFloat32(0, x, true);
    this.reserve(4);
    for (let i = 0; i < 4; i++) this.buf[this.len++] = scratch.getUint8(i);
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

/** Reads what `Writer` wrote, in the same order. */
export class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RangeError('truncated statistics encoding');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  varuint(): number {
    let result = 0;
    let scale = 1;
    // 8 bytes carry 56 bits, enough for any safe integer; more means corruption
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(result)) break;
        return result;
      }
      scale *= 0x80;
    }
    throw new RangeError('malformed varint in statistics encoding');
  }

  zigzag(): number {
    const z = this.varuint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  f64(): number {
    this.need(8);
    const x = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return x;
  }

  f32(): number {
    this.need(4);
    const x = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return x;
  }

  /** Everything not read yet (a nested encoding that runs to the end). */
  rest(): Buffer {
    const out = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return out;
  }

  /** Decoders call this last so trailing garbage is not silently accepted. */
  end(): void {
    if (!this.done) throw new RangeError('trailing bytes in statistics encoding');
  }
}

/** Counts that are safe integers travel as varints; any other count forces the float form. */
export function countsAreIntegers(counts: Iterable<number>): boolean {
  for (const c of counts) if (!Number.isSafeInteger(c)) return false;
  return true;
}

export function writeCount(w: Writer, count: number, integers: boolean): void {
  if (integers) w.varuint(count);
  else w.f64(count);
}

export function readCount(r: Reader, integers: boolean): number {
  const c = integers ? r.varuint() : r.f64();
  if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError('invalid count in statistics encoding');
  return c;
}
