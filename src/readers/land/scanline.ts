/**
 * The line scanner of the fast path: one pass over a line's bytes parses the needed columns
 * straight from the bytes. Kept free of other imports so that a worker thread can load it alone.
 */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Column layout and output of the byte scanner; a plain object so the hot loop reads locals. */
export interface ScanState {
  /**
   * The needed columns in order, as pairs: how many columns to skip before it, then its value
   * slot (0 V, 1 I, 2 capacity, 3 specific capacity, 4 cycle, 5 step, 6 time, 7 step time; 8 the
   * state column).
   */
  prog: Int8Array;
  /** Bit k set: slot k is a time column without a unit, where only durations are read here. */
  durOnly: number;
  delim: number;
  comma: boolean;
  val: Float64Array;
  isNull: Uint8Array;
  /** State column bytes of the line just parsed, and their FNV hash. */
  stS: number; stE: number; stH: number;
  sawComma: boolean;
  ok: boolean;
}

/** A scanner state for columns `slotOf` (per column index: its slot, or -1 when not needed). */
export function scanState(slotOf: ArrayLike<number>, delim: number, comma: boolean, durOnly = 0): ScanState {
  const prog: number[] = [];
  let skip = 0;
  for (let f = 0; f < slotOf.length; f++) {
    if (slotOf[f]! < 0) { skip++; continue; }
    prog.push(skip, slotOf[f]!);
    skip = 0;
  }
  return stateOf(Int8Array.from(prog), delim, comma, durOnly);
}

/** A fresh scanner state for a compiled program (the worker thread gets the program as it is). */
export function stateOf(prog: Int8Array, delim: number, comma: boolean, durOnly: number): ScanState {
  return { prog, durOnly, delim, comma, val: new Float64Array(8), isNull: new Uint8Array(8).fill(1), stS: 0, stE: 0, stH: 0, sawComma: false, ok: false };
}

/**
 * A duration at b[p…] exactly as the general parser reads one (columns.ts `parseDuration`):
 * D-HH:MM:SS, D.HH:MM:SS or D HH:MM:SS (days ≤ 6 digits), H:MM:SS or M:SS (≤ 9 digits), the
 * seconds with up to 9 decimals. Its value in seconds goes to val[slot], summed in the same order;
 * returns the index just after it, or -1 when the text is not one of these.
 */
function durationAt(b: Uint8Array, p: number, val: Float64Array, slot: number): number {
  let a = 0, n = 0, c = b[p]!;
  while (c >= 48 && c <= 57) { if (++n > 9) return -1; a = a * 10 + (c - 48); c = b[++p]!; }
  if (n === 0) return -1;
  if (c === 45 || c === 46 || c === 32) {
    // Days, then HH:MM:SS.
    if (n > 6) return -1;
    const h = upTo2(b, p + 1);
    if (h < 0) return -1;
    p += 1 + (h & 3);
    if (b[p] !== 58) return -1;
    const m = upTo2(b, p + 1);
    if (m < 0) return -1;
    p += 1 + (m & 3);
    if (b[p] !== 58) return -1;
    p = secondsAt(b, p + 1, val, slot);
    if (p < 0) return -1;
    val[slot] = a * 86400 + (h >> 2) * 3600 + (m >> 2) * 60 + val[slot]!;
    return p;
  }
  if (c !== 58) return -1;
  const g = upTo2(b, p + 1);
  if (g < 0) return -1;
  if (b[p + 1 + (g & 3)] === 58) {
    // H:MM:SS
    p = secondsAt(b, p + 2 + (g & 3), val, slot);
    if (p < 0) return -1;
    val[slot] = a * 3600 + (g >> 2) * 60 + val[slot]!;
    return p;
  }
  // M:SS
  p = secondsAt(b, p + 1, val, slot);
  if (p < 0) return -1;
  val[slot] = a * 60 + val[slot]!;
  return p;
}

/** One or two digits at b[p]: value * 4 + count, or -1. */
function upTo2(b: Uint8Array, p: number): number {
  const c0 = b[p]! - 48;
  if (c0 < 0 || c0 > 9) return -1;
  const c1 = b[p + 1]! - 48;
  if (c1 < 0 || c1 > 9) return c0 * 4 + 1;
  const c2 = b[p + 2]! - 48;
  if (c2 >= 0 && c2 <= 9) return -1;
  return (c0 * 10 + c1) * 4 + 2;
}

/** Seconds SS or SS.fffffffff at b[p] (as Number() reads them) into val[slot]; the index after, or -1. */
function secondsAt(b: Uint8Array, p: number, val: Float64Array, slot: number): number {
  const s = upTo2(b, p);
  if (s < 0) return -1;
  p += s & 3;
  let x = s >> 2;
  if (b[p] === 46) {
    let k = 0, f = 0, c = b[++p]!;
    while (c >= 48 && c <= 57) { if (++k > 9) return -1; f = f * 10 + (c - 48); c = b[++p]!; }
    if (k === 0) return -1;
    x = (x * POW10[k]! + f) / POW10[k]!;
  }
  val[slot] = x;
  return p;
}

/**
 * Parse the fields of the line starting at s in one pass: needed numbers into `val` (exactly
 * Number() of their text: ≤ 15 significant digits and |exponent| ≤ 22), the state column's span
 * and hash, other fields skipped; then on to the line end. The line must end with an LF before n
 * (the LF is the loops' only bound). Returns the index of the LF and sets `st.ok` false when the
 * line must go the general way.
 */
export function parseLine(b: Uint8Array, s: number, n: number, st: ScanState): number {
  const prog = st.prog, delim = st.delim, comma = st.comma, val = st.val, isNull = st.isNull;
  // Bytes above this are never a delimiter, LF or quote: one comparison skips them (',' and TAB
  // files: digits, letters, '.', '-', ':'; ';' files: letters).
  const fence = delim === 59 ? 59 : 44;
  const np = prog.length;
  let p = s, c = 0;
  let ok = true;
  fields: for (let k = 0; k < np; k += 2) {
    // Skipped columns.
    for (let m = prog[k]!; m > 0; m--) {
      for (;;) { c = b[p]!; if (c > fence) { p++; continue; } if (c === delim || c === 10 || c === 34) break; p++; }
      if (c !== delim) { ok = false; break fields; }
      p++;
    }
    const slot = prog[k + 1]!;
    const last = k + 2 === np;
    if (slot === 8) {
      let h = 2166136261;
      const q0 = p;
      for (;;) { c = b[p]!; if (c === delim || c === 10 || c === 13 || c === 34) break; h = Math.imul(h ^ c, 16777619); p++; }
      if (c === 34) { ok = false; break; }
      st.stS = q0; st.stE = p; st.stH = h;
      if (c === delim) { p++; continue; }
      if (!last) { ok = false; break; }
      continue;
    }
    c = b[p]!;
    if (c === delim) { isNull[slot] = 1; p++; continue; }
    if (c === 10 || c === 13) { if (!last) { ok = false; break; } isNull[slot] = 1; continue; }
    let neg = false;
    const f0 = p;
    if (c === 45) {
      neg = true;
      c = b[++p]!;
      if (c === delim || c === 10 || c === 13) { isNull[slot] = 1; if (c === delim) p++; else if (!last) { ok = false; break; } continue; }
    } else if (c === 43) c = b[++p]!;
    // The mantissa must stay an exact integer (< 2^53): then mant / 10^k is Number()'s rounding.
    let mant = 0, dotAt = -1;
    const from = p;
    for (;;) {
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        if (mant >= 900719925474099) { ok = false; break fields; }
        mant = mant * 10 + d;
      } else if (c === 46 && dotAt < 0) dotAt = p;
      else if (c === 44 && comma && dotAt < 0) { dotAt = p; st.sawComma = true; }
      else break;
      c = b[++p]!;
    }
    const frac = dotAt < 0 ? 0 : p - dotAt - 1;
    if (p - from - (dotAt < 0 ? 0 : 1) === 0) { ok = false; break; }
    if (slot >= 6 && (c === 58 || c === 45 || c === 32)) {
      // A time column written as a duration (D-HH:MM:SS and the like): not scaled by the unit.
      p = b[f0] === 45 || b[f0] === 43 ? -1 : durationAt(b, f0, val, slot);
      if (p < 0) { p = f0; ok = false; break; }
      isNull[slot] = 2;
      c = b[p]!;
      if (c === delim) { p++; continue; }
      if ((c === 10 || c === 13) && last) continue;
      ok = false;
      break;
    }
    if (slot >= 6 && (st.durOnly >> slot) & 1) { ok = false; break; }
    let exp = 0;
    if (c === 101 || c === 69) {
      c = b[++p]!;
      let eneg = false;
      if (c === 45) { eneg = true; c = b[++p]!; } else if (c === 43) c = b[++p]!;
      let ed = 0;
      while (c >= 48 && c <= 57) { if (++ed > 3) { ok = false; break fields; } exp = exp * 10 + (c - 48); c = b[++p]!; }
      if (ed === 0) { ok = false; break; }
      if (eneg) exp = -exp;
    }
    const pw = exp - frac;
    let x: number;
    if (pw === 0) x = mant;
    else if (pw > 0 && pw <= 22) x = mant * POW10[pw]!;
    else if (pw < 0 && pw >= -22) x = mant / POW10[-pw]!;
    else { ok = false; break; }
    val[slot] = neg ? -x : x;
    isNull[slot] = 0;
    if (c === delim) { p++; continue; }
    if ((c === 10 || c === 13) && last) continue;
    ok = false;
    break;
  }
  // On to the end of the line.
  if (b[p] !== 10) { p = b.indexOf(10, p); if (p < 0) p = n; }
  // Under 2000 bytes, a line cannot have more columns than the general parser allows (2000).
  st.ok = ok && p - s < 2000 && isNull[0] === 0 && isNull[1] === 0;
  return p;
}


/** Per-line results of a scan by a worker thread, in a shared slot of `max` lines. */
export interface SlotViews {
  /** Index of each line's LF in the job buffer. */
  ends: Int32Array;
  /** 1 when the scanner fully understood the line. */
  ok: Uint8Array;
  /** 8 values and 8 null flags per line (see ScanState). */
  val: Float64Array;
  isNull: Uint8Array;
  /** State column start, end and hash per line. */
  st: Int32Array;
}

export const SLOT_BYTES_PER_LINE = 89;

export function slotViews(sab: SharedArrayBuffer, max: number): SlotViews {
  return {
    val: new Float64Array(sab, 0, 8 * max),
    ends: new Int32Array(sab, 64 * max, max),
    st: new Int32Array(sab, 68 * max, 3 * max),
    ok: new Uint8Array(sab, 80 * max, max),
    isNull: new Uint8Array(sab, 81 * max, 8 * max),
  };
}

/**
 * Scan lines of b[from, to) (to just past an LF) into a slot, at most `max` lines. Returns the
 * number of lines and where it stopped.
 */
export function scanInto(b: Uint8Array, from: number, to: number, st: ScanState, v: SlotViews, max: number): { n: number; next: number } {
  const val = st.val, isNull = st.isNull;
  let s = from, n = 0;
  while (s < to && n < max) {
    const e = parseLine(b, s, to, st);
    v.ends[n] = e;
    if (st.ok) {
      v.ok[n] = 1;
      const o = 8 * n;
      for (let k = 0; k < 8; k++) { v.val[o + k] = val[k]!; v.isNull[o + k] = isNull[k]!; }
      v.st[3 * n] = st.stS; v.st[3 * n + 1] = st.stE; v.st[3 * n + 2] = st.stH;
    } else v.ok[n] = 0;
    n++;
    s = e + 1;
  }
  return { n, next: s };
}
