/**
 * The CHI reader: CHI electrochemical workstation text exports. As cycler records it reads the
 * Multi-Current Steps technique (GITT on a potentiostat); CV, LSV and impedance exports are read as
 * whole files by `loadChi` for the cv and eis commands, and refused here with the command to use.
 */
import { DataError } from '../../errors.js';
import type { Input } from '../../io.js';
import { loadChi } from '../../load.js';
import { sniffChi } from './chi.js';
import { istepRecords } from './records.js';
import type { SourceInfo } from '../../types.js';
import type { ReadOptions, Reader, ReadResult } from '../types.js';

export const chiReader: Reader = {
  name: 'chi',
  sniff: (head) => sniffChi(head),
  async read(input: Input, o: ReadOptions = {}): Promise<ReadResult> {
    const f = await loadChi(input);
    if (f.kind !== 'istep') {
      const use = f.kind === 'eis' ? 'hcarb eis' : f.kind === 'cv' || f.kind === 'lsv' ? 'hcarb cv' : 'hcarb inspect';
      throw new DataError(`this is a CHI ${f.technique || 'workstation'} export, not cycler records; use ${use} (hcarb inspect shows what it holds)`, { file: f.source, line: 2 });
    }
    const recs = istepRecords(f, Boolean(o.cathodicPositive));
    const info: SourceInfo = { source: f.source, instrument: 'CHI', layout: 'Multi-Current Steps', columns: [], ignoredColumns: [], records: recs.length, skipped: [], skippedCount: 0, notes: [...f.notes, 'currents from the step schedule in the parameters (ISTEP reader unverified against a real CHI file)'], warnings: [] };
    if (!recs.some((r, k) => r.stepTimeS === 0 || (k > 0 && r.stepIndex !== recs[k - 1]!.stepIndex && r.stepTimeS === 0))) info.warnings.push('no point falls exactly on a pulse start: the endpoint ΔE_τ misses the first sample interval; prefer --etau sqrt');
    return { info, batches: (async function* () { yield recs; })() };
  },
};
