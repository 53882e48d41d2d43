// What every successful result must satisfy, whatever the input (the fuzzer's result checks; its
// own test feeds it seeded bad results). `elements` is the parsed `--json` output (an array of file
// results); `records` the file's records when it has current and time (for the charge balance).
// Returns the violations as text (empty when the result is sound). NaN and infinities are caught
// before: the fuzzer runs with outputChecks.strictNumbers, so they are errors at serialisation.

/** Every (key, value, element) pair in a JSON value, nested objects and arrays included. */
function* walk(v, el, key = '') {
  if (Array.isArray(v)) for (const x of v) yield* walk(x, el, key);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* walk(x, el, k);
  else yield [key, v, el];
}

const EFFICIENCY = /^(ice|ce|ee)_pct$|_ce_pct(_mean)?$/;
const CAPACITY = /^q_(dis|ch)(_[a-z]+)*_mAh(_g|_cm2)?(_mean)?$|^(reference|final|last_rev)_mAh(_g)?$/;
const DIFFUSION = /^d(_[a-z]+)?_cm2_s$/;

export function checkResult(command, elements, records = null) {
  const bad = [];
  if (!Array.isArray(elements)) return [`--json is not an array (${typeof elements})`];
  for (const el of elements) {
    const warned = Array.isArray(el?.warnings) && el.warnings.length > 0;
    for (const [k, v] of walk(el, el)) {
      if (typeof v === 'string' && /\bNaN\b|Infinity/.test(v) && k !== 'file') bad.push(`${k} = '${v}' prints a non-number as text`);
      if (typeof v !== 'number') continue;
      if (EFFICIENCY.test(k) && k !== 'ee_pct' && (v <= 0 || v > 100) && !warned) bad.push(`${k} = ${v} is outside (0, 100] with no warning`);
      if (CAPACITY.test(k) && v < 0) bad.push(`${k} = ${v} is a negative capacity`);
      if (DIFFUSION.test(k) && !(v > 0)) bad.push(`${k} = ${v}: a diffusion coefficient must be > 0 (or null)`);
      if (Math.abs(v) > 1e300) bad.push(`${k} = ${v} is beyond any physical value`);
    }
    // Charge balance: the cycles' capacities cannot exceed the charge that flowed (∫|I|dt), unless a
    // warning says the capacity column and the integral disagree. Where a record opens a step (its
    // step number changes) with a step time already running, the file says the step began that long
    // before it (records missing or cut out): that stretch, at the record's current, flowed too.
    if (command === 'cycles' && records && Array.isArray(el?.cycles) && !el.warnings?.some((w) => /differ|integrat|∫/.test(w))) {
      let flowed = 0;
      for (let k = 0; k < records.length; k++) {
        const a = records[k - 1], b = records[k];
        // a step that began before its first record: at most the gap from the record before (or a
        // day) at the step's current, the rest of the gap at the earlier record's current
        const opens = !a || (b.stepIndex != null && b.stepIndex !== a.stepIndex);
        const s = opens && b.stepTimeS > 0 ? Math.min(b.stepTimeS, 86400) : 0;
        if (!a) { flowed += Math.abs(b.currentMA) * s / 3600; continue; }
        if (a.timeS === null || b.timeS === null || !(b.timeS > a.timeS) || b.timeS - a.timeS > 86400) continue;
        const g = b.timeS - a.timeS;
        const trapezoid = (Math.abs(a.currentMA) + Math.abs(b.currentMA)) / 2 * g / 3600;
        flowed += Math.max(trapezoid, (Math.abs(b.currentMA) * Math.min(s, g) + Math.abs(a.currentMA) * Math.max(0, g - s)) / 3600);
      }
      const sum = el.cycles.reduce((s, c) => s + (c.q_dis_mAh ?? 0) + (c.q_ch_mAh ?? 0), 0);
      if (flowed > 0 && sum > flowed * 1.02 + 1e-9) bad.push(`the cycles hold ${sum.toPrecision(5)} mAh but only ${flowed.toPrecision(5)} mAh flowed (∫|I|dt) and no warning says why`);
    }
  }
  return bad;
}
