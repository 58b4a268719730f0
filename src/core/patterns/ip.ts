/**
 * @module core/patterns/ip
 * IP addresses and CIDR blocks for the `cidr` operator (and for pattern strings that are IPs).
 *
 * Semantics follow event-ruler, the engine behind EventBridge: an address is IPv4 only when it
 * looks like `digits.digits.digits.digits`, IPv6 only when it is hex digits and colons with at
 * least one colon (no zone ids, no embedded IPv4); a CIDR covers `[address, address | hostmask]`
 * (the address is not masked first, so `10.0.0.5/24` covers .5 to .255), IPv4 masks must be
 * `< 32` and IPv6 masks `< 128`. Addresses are held as 32-bit words so that matching an event
 * value is a parse into a reused scratch buffer and a few integer comparisons, no allocation.
 */

/** Why a CIDR is invalid (event-ruler raises these without a JSON location). */
export class CidrError extends Error {}

/** A compiled CIDR: family 4 (one word) or 6 (four words), inclusive bounds. */
export interface CidrRange { family: 4 | 6; lo: Uint32Array; hi: Uint32Array }

const scratch = new Uint32Array(4);

/**
 * Parses `s` into `out` (word 0 for IPv4, words 0..3 for IPv6) and returns the family, 0 if `s`
 * does not have the shape of an address, or -1 if it has the shape but is not a valid address.
 */
export function parseIp(s: string, out: Uint32Array = scratch): 0 | -1 | 4 | 6 {
  const n = s.length;
  if (n === 0) return 0;
  let dots = 0;
  let colons = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) dots++;
    else if (c === 0x3a) colons++;
    else if (!isHex(c)) return 0;
  }
  if (colons === 0) return dots === 3 ? parseV4(s, out) : 0;
  return dots === 0 ? parseV6(s, out) : 0;
}

function parseV4(s: string, out: Uint32Array): 0 | -1 | 4 {
  let word = 0;
  let part = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0) return 0; // "1..2.3" does not have the IPv4 shape
      if (part > 255) return -1;
      word = word * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      part = part * 10 + (c - 0x30);
      digits++;
      if (part > 999999) part = 999999; // keep it finite; already invalid
    } else {
      return 0; // hex letters: not the IPv4 shape
    }
  }
  out[0] = word >>> 0;
  return 4;
}

function parseV6(s: string, out: Uint32Array): -1 | 6 {
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  const n = s.length;
  if (s.startsWith('::')) { gap = 0; i = 2; } else if (s.charCodeAt(0) === 0x3a) return -1;
  while (i < n) {
    let v = 0;
    let d = 0;
    while (i < n && s.charCodeAt(i) !== 0x3a) {
      v = v * 16 + hexValue(s.charCodeAt(i));
      d++;
      i++;
    }
    if (d === 0 || d > 4) return -1;
    groups.push(v);
    if (i < n) {
      i++; // the colon
      if (i < n && s.charCodeAt(i) === 0x3a) {
        if (gap >= 0) return -1;
        gap = groups.length;
        i++;
      } else if (i === n) {
        return -1; // trailing single colon
      }
    }
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return -1;
  const full = new Array<number>(8).fill(0);
  if (gap < 0) groups.forEach((g, k) => { full[k] = g; });
  else {
    for (let k = 0; k < gap; k++) full[k] = groups[k];
    const tail = groups.length - gap;
    for (let k = 0; k < tail; k++) full[8 - tail + k] = groups[gap + k];
  }
  for (let w = 0; w < 4; w++) out[w] = ((full[2 * w] << 16) | full[2 * w + 1]) >>> 0;
  return 6;
}

/** Compiles `a.b.c.d/n` or `x::y/n`, throwing event-ruler's messages. */
export function compileCidr(text: string): CidrRange {
  // Java's String.split drops trailing empty parts: "10.0.0.0/" has one part.
  const parts = text.split('/');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw new CidrError("Malformed CIDR, one '/' required");
  if (!/^[+-]?\d+$/.test(parts[1]) || Math.abs(Number(parts[1])) > 2147483647) {
    throw new CidrError('Malformed CIDR, mask bits must be an integer');
  }
  const bits = Number(parts[1]);
  if (bits < 0) throw new CidrError('Malformed CIDR, mask bits must not be negative');
  const addr = new Uint32Array(4);
  const family = parseIp(parts[0], addr);
  if (family === 0) throw new CidrError(`Nonstandard IP address: ${parts[0]}`);
  if (family === -1) throw new CidrError(`Invalid IP address: ${parts[0]}`);
  if (family === 4 && bits > 31) throw new CidrError('IPv4 mask bits must be < 32');
  if (family === 6 && bits > 127) throw new CidrError('IPv6 mask bits must be < 128');
  const words = family === 4 ? 1 : 4;
  const lo = addr.slice(0, words);
  const hi = addr.slice(0, words);
  let host = words * 32 - bits;
  for (let w = words - 1; w >= 0 && host > 0; w--, host -= 32) {
    const mask = host >= 32 ? 0xffffffff : (2 ** host) - 1;
    hi[w] = (hi[w] | mask) >>> 0;
  }
  return { family, lo, hi };
}

/** Whether the event string `s` is an address inside `r`. */
export function inCidr(s: string, r: CidrRange): boolean {
  const fam = parseIp(s, scratch);
  if (fam !== r.family) return false;
  const words = fam === 4 ? 1 : 4;
  return cmp(scratch, r.lo, words) >= 0 && cmp(scratch, r.hi, words) <= 0;
}

function cmp(a: Uint32Array, b: Uint32Array, words: number): number {
  for (let i = 0; i < words; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}
