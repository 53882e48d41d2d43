/**
 * CHI Multi-Current Steps (ISTEP) as cycler records, so `hcarb gitt` can read a GITT run made on a
 * CHI potentiostat. The file holds only time and potential; the current of each record comes from
 * the step schedule in the parameters (`i1 (A)`, `T1 (s)`, … repeated for `Cycle` cycles).
 * No real ISTEP export was available: the parameter names follow the CHI help file and one
 * public parser (see chi-formats.md), so this reader is marked unverified.
 */
import { DataError } from '../../errors.js';
import type { CyclerRecord } from '../../types.js';
import { column, type ChiFile } from './chi.js';

export interface Schedule { currentsA: number[]; timesS: number[] }

export function istepSchedule(f: ChiFile): Schedule {
  const currentsA: number[] = [], timesS: number[] = [];
  for (let k = 1; k <= 12; k++) {
    const i = f.parameters.find((p) => new RegExp(`^(i${k}|Step ${k})$`, 'i').test(p.key) && /^a$/i.test(p.unit));
    const t = f.parameters.find((p) => new RegExp(`^(T${k}|Step Time ${k})$`, 'i').test(p.key) && /^s(ec)?$/i.test(p.unit));
    if (!i || !t) break;
    if (typeof i.value !== 'number' || typeof t.value !== 'number' || !(t.value > 0)) throw new DataError(`step ${k} of the schedule is not a number (${i.key} = ${i.value}, ${t.key} = ${t.value})`, { file: f.source, line: i.line });
    currentsA.push(i.value); timesS.push(t.value);
  }
  if (!currentsA.length) throw new DataError("no current-step schedule in the parameters (expected 'i1 (A) = …' and 'T1 (s) = …'); hcarb needs it to know the current of each point", { file: f.source, line: f.headerLine });
  return { currentsA, timesS };
}

/** Records from an ISTEP export: current from the schedule, time and potential from the data. */
export function istepRecords(f: ChiFile, cathodicPositive: boolean): CyclerRecord[] {
  const t = column(f, 'timeS'), e = column(f, 'potentialV');
  if (!t || !e) throw new DataError('a Multi-Current Steps export needs Time/sec and Potential/V columns', { file: f.source, line: f.headerLine });
  const { currentsA, timesS } = istepSchedule(f);
  const ends: number[] = [];
  timesS.reduce((s, x, k) => (ends[k] = s + x), 0);
  const period = ends[ends.length - 1]!;
  const sign = cathodicPositive ? -1 : 1;
  const out: CyclerRecord[] = [];
  for (let k = 0; k < t.length; k++) {
    const time = t[k]!;
    // A point on a step boundary belongs to the step that ends there (t = 0 to the first step and
    // the first cycle: it was cycle 0).
    let phase = time % period;
    if (phase === 0 && time > 0) phase = period;
    let s = 0;
    while (s < ends.length - 1 && phase > ends[s]! + 1e-9) s++;
    const start = s === 0 ? 0 : ends[s - 1]!;
    const iA = currentsA[s]! * sign;
    out.push({
      line: f.lines[k]!, timeS: time, stepTimeS: phase - start, voltageV: e[k]!, currentMA: iA * 1000,
      capacityMAh: null, specificCapacityMAhG: null, cycleIndex: Math.max(1, Math.floor((time - 1e-9) / period) + 1), stepIndex: s + 1,
      stateKind: iA === 0 ? 'R' : null,
    });
  }
  return out;
}
