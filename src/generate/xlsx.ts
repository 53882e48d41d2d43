/**
 * A minimal .xlsx writer for the project's generated workbooks (tests, samples, benchmarks):
 * sheets of numbers and strings, shared strings, optional number formats per column.
 */
import { zipSync, strToU8 } from 'fflate';
import { planRecords, type CellPlan } from './land.js';

export type XCell = number | string | null | undefined;
export interface XSheet { name: string; rows: XCell[][]; /** numFmt id per column (e.g. 21 h:mm:ss, 46 [h]:mm:ss). */ formats?: Record<number, number> }

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function writeXlsx(sheets: XSheet[], opts: { inlineStrings?: boolean } = {}): Uint8Array {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const sid = (s: string) => { let i = index.get(s); if (i === undefined) { i = strings.length; strings.push(s); index.set(s, i); } return i; };
  const fmtIds = [...new Set(sheets.flatMap((s) => Object.values(s.formats ?? {})))];
  const styleOf = (id: number) => fmtIds.indexOf(id) + 1;
  const files: Record<string, Uint8Array> = {};
  sheets.forEach((sh, si) => {
    const out: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
    sh.rows.forEach((row, ri) => {
      out.push(`<row r="${ri + 1}">`);
      row.forEach((v, ci) => {
        if (v === null || v === undefined || v === '') return;
        const ref = colName(ci) + (ri + 1);
        if (typeof v === 'number') {
          const f = sh.formats?.[ci];
          out.push(`<c r="${ref}"${f !== undefined ? ` s="${styleOf(f)}"` : ''}><v>${v}</v></c>`);
        } else if (opts.inlineStrings) out.push(`<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`);
        else out.push(`<c r="${ref}" t="s"><v>${sid(v)}</v></c>`);
      });
      out.push('</row>');
    });
    out.push('</sheetData></worksheet>');
    files[`xl/worksheets/sheet${si + 1}.xml`] = strToU8(out.join(''));
  });
  files['[Content_Types].xml'] = strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>');
  files['_rels/.rels'] = strToU8('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>');
  files['xl/workbook.xml'] = strToU8('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
    sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') + '</sheets></workbook>');
  files['xl/_rels/workbook.xml.rels'] = strToU8('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId${sheets.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`);
  files['xl/styles.xml'] = strToU8('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>' +
    `<cellXfs count="${fmtIds.length + 1}"><xf numFmtId="0"/>${fmtIds.map((id) => `<xf numFmtId="${id}" applyNumberFormat="1"/>`).join('')}</cellXfs></styleSheet>`);
  files['xl/sharedStrings.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">` +
    strings.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('') + '</sst>');
  return zipSync(files, { level: 6 });
}

export type WorkbookTime = 'sec' | 'hours' | 'excel' | 'excel-mixed' | 'lanhe';

function dhms(s: number, sep: string, ms: boolean): string {
  const d = Math.floor(s / 86400); let r = s - d * 86400;
  const h = Math.floor(r / 3600); r -= h * 3600;
  const m = Math.floor(r / 60); r -= m * 60;
  const sec = ms ? r.toFixed(3).padStart(6, '0') : String(Math.round(r)).padStart(2, '0');
  return `${d}${sep}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${sec}`;
}

/**
 * A LANDdt three-table workbook of a plan: `Cycle-Tab` (the cycler's own summary, computed here
 * from the plan) and `Record-Tab`, with the time columns in one of the shapes LAND writes.
 */
export function landWorkbook(plan: CellPlan, opts: LandSheetOptions = {}): Uint8Array {
  return writeXlsx(landSheets(plan, opts));
}

export interface LandSheetOptions { time?: WorkbookTime; capacity?: boolean; cycleTab?: boolean; sheetName?: string }

/** The sheets of `landWorkbook` (the .xls generator writes the same sheets, src/generate/xls.ts). */
export function landSheets(plan: CellPlan, opts: LandSheetOptions = {}): XSheet[] {
  const time = opts.time ?? 'sec';
  const unit = time === 'sec' ? '/Sec' : time === 'hours' ? '/h' : '';
  const withCap = opts.capacity ?? true;
  const head = ['Record', 'TestTime' + unit, 'StepTime' + unit, 'Current/mA', ...(withCap ? ['Capacity/mAh', 'SpeCap/mAh/g'] : []), 'Voltage/V', 'SysTime', '', 'Cycle-Index', 'Step-Index', 'Step-State'];
  const rows: XCell[][] = [head];
  const tcell = (s: number): XCell => {
    switch (time) {
      case 'sec': return s;
      case 'hours': return s / 3600;
      case 'excel': return s / 86400;
      case 'excel-mixed': return s < 86400 ? s / 86400 : dhms(s, '-', false);
      case 'lanhe': return dhms(s, ' ', true);
    }
  };
  const g = plan.massMg / 1000;
  const cycles = new Map<number, { c: number; d: number; order: string[] }>();
  let n = 0;
  for (const r of planRecords(plan)) {
    n++;
    rows.push([n, tcell(r.timeS), tcell(r.stepTimeS), r.currentMA, ...(withCap ? [r.capacityMAh, g > 0 ? r.capacityMAh / g : 0] : []), r.voltageV, 45000 + r.timeS / 86400, null, r.cycle, r.step, r.state === 'R' ? 'R' : r.state === 'D' ? 'RateD' : 'RateC']);
    if (r.state !== 'R') {
      let c = cycles.get(r.cycle);
      if (!c) cycles.set(r.cycle, (c = { c: 0, d: 0, order: [] }));
      if (r.state === 'D') c.d = Math.max(c.d, r.capacityMAh); else c.c = Math.max(c.c, r.capacityMAh);
      if (!c.order.includes(r.state)) c.order.push(r.state);
    }
  }
  const fmt = time === 'excel' || time === 'excel-mixed' ? { 1: 46, 2: 46 } : undefined;
  const sheets: XSheet[] = [];
  if (opts.cycleTab ?? true) {
    const ct: XCell[][] = [['Cycle', 'CapC/mAh', 'CapD/mAh', 'SpeCapC/mAh/g', 'SpeCapD/mAh/g', 'Efficiency/%']];
    for (const [k, c] of cycles) {
      const [a, b] = c.order[0] === 'D' ? [c.d, c.c] : [c.c, c.d];
      ct.push([k, c.c, c.d, c.c / g, c.d / g, a > 0 && b > 0 ? b / a * 100 : 0]);
    }
    sheets.push({ name: 'Cycle-Tab', rows: ct });
  }
  sheets.push({ name: opts.sheetName ?? 'Record-Tab', rows, formats: fmt });
  return sheets;
}
