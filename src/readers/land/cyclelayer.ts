/**
 * The cycler's own per-cycle table (LAND Cycle-Tab, or the Cycle section of a "mixed" CSV):
 * which column is which, and a row → VendorCycle. Shared by the workbook and text readers.
 */
import type { VendorCycle } from '../../types.js';

export type CycleColumns = Partial<Record<keyof VendorCycle, { i: number; scale: number }>>;

/** Columns of a cycle-table header, or null when the row is not one. */
export function cycleColumns(cells: string[]): CycleColumns | null {
  const c: CycleColumns = {};
  cells.forEach((h, i) => {
    const [name, ...u] = h.trim().split('/');
    const unit = u.join('/').toLowerCase().replace(/[µμ]/g, 'u');
    const capScale = unit === 'uah' ? 0.001 : unit === 'ah' ? 1000 : 1;
    const key = name!.toLowerCase();
    if (key === 'cycle' || key === '循环序号') c.cycle ??= { i, scale: 1 };
    else if (key === 'capc') c.capCMAh = { i, scale: capScale };
    else if (key === 'capd') c.capDMAh = { i, scale: capScale };
    else if (key === 'specapc') c.speCapCMAhG = { i, scale: 1 };
    else if (key === 'specapd') c.speCapDMAhG = { i, scale: 1 };
    else if (key === 'efficiency' || key === 'coulombefficiency') c.efficiencyPct = { i, scale: 1 };
  });
  return c.cycle && (c.capCMAh || c.speCapCMAhG) ? c : null;
}

/** One row of the table; null when its cycle cell is not a number. */
export function vendorCycle(cols: CycleColumns, value: (i: number) => number | null): VendorCycle | null {
  const get = (k: keyof VendorCycle): number | null => {
    const s = cols[k];
    if (!s) return null;
    const v = value(s.i);
    return v === null ? null : v * s.scale;
  };
  const cycle = get('cycle');
  if (cycle === null) return null;
  return { cycle, capCMAh: get('capCMAh'), capDMAh: get('capDMAh'), speCapCMAhG: get('speCapCMAhG'), speCapDMAhG: get('speCapDMAhG'), efficiencyPct: get('efficiencyPct') };
}
