/**
 * A minimal, streaming, bounded reader of .xlsx workbooks: fflate (unzip) + saxes (XML).
 * Small parts (workbook, relationships, shared strings) are read whole under a size limit; a
 * worksheet is inflated and parsed in slices, rows delivered as they come.
 */
import { Unzip, UnzipInflate } from 'fflate';
import { SaxesParser } from 'saxes';
import { DataError } from '../../errors.js';
import type { Book } from './book.js';

/** Uncompressed size allowed for the shared-strings table and other small parts. */
export const MAX_PART_BYTES = 256 << 20;
/** Uncompressed size allowed for one worksheet. */
export const MAX_SHEET_BYTES = 8 * 1024 ** 3;
/** A part that inflates more than this many times its compressed size is refused (zip bomb). */
export const MAX_RATIO = 250;

export interface SheetRef { name: string; path: string }
/** A cell: a number, a string, or absent (undefined). */
export type Cell = number | string | undefined;

function hasEocd(zip: Uint8Array): boolean {
  const from = Math.max(0, zip.length - 65557);
  for (let i = zip.length - 22; i >= from; i--) {
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 0x05 && zip[i + 3] === 0x06) return true;
  }
  return false;
}

/** Inflate the named entries; each call of `sink` gets a chunk of an entry's bytes. */
function inflate(zip: Uint8Array, want: (name: string) => boolean, sink: (name: string, data: Uint8Array, final: boolean) => void, source: string, limit: number): void {
  for (const _ of inflateSteps(zip, want, sink, source, limit)) { /* run to the end */ }
}

/** As `inflate`, one zip slice per step, so the caller can hand out what each slice produced. */
function* inflateSteps(zip: Uint8Array, want: (name: string) => boolean, sink: (name: string, data: Uint8Array, final: boolean) => void, source: string, limit: number, slice = 1 << 16): Generator<void> {
  let failure: unknown = null;
  const un = new Unzip((file) => {
    if (!want(file.name)) return;
    let total = 0;
    const compressed = file.size ?? 0;
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) { failure = new DataError(`the workbook is damaged (${err.message}); re-export it`, { file: source }); return; }
      total += data.length;
      if (total > limit || (compressed > 0 && total > 1e6 && total > compressed * MAX_RATIO)) {
        failure = new DataError(`'${file.name}' inflates to more than ${total > limit ? fmtBytes(limit) : MAX_RATIO + ' times its size'}; refusing it (a damaged file or a zip bomb)`, { file: source });
        return;
      }
      try { sink(file.name, data, final); } catch (e) { failure = e; }
    };
    if (file.compression !== 0 && file.compression !== 8) {
      failure = new DataError(`'${file.name}' uses zip compression method ${file.compression}; save the workbook again from Excel`, { file: source });
      return;
    }
    file.start();
  });
  un.register(UnzipInflate);
  for (let i = 0; i < zip.length; i += slice) {
    try { un.push(zip.subarray(i, Math.min(zip.length, i + slice)), i + slice >= zip.length); } catch (e) {
      if (!failure) failure = new DataError(`the workbook is damaged (${(e as Error).message}); re-export it`, { file: source });
    }
    if (failure) throw failure;
    yield;
  }
  if (failure) throw failure;
}

function fmtBytes(n: number): string {
  return n >= 1024 ** 3 ? `${n / 1024 ** 3} GB` : `${n / 1024 ** 2} MB`;
}

function readParts(zip: Uint8Array, names: string[], source: string): Map<string, string> {
  const bufs = new Map<string, Uint8Array[]>();
  const want = new Set(names);
  inflate(zip, (n) => want.has(n), (n, d) => {
    let a = bufs.get(n);
    if (!a) bufs.set(n, (a = []));
    a.push(d);
  }, source, MAX_PART_BYTES);
  const out = new Map<string, string>();
  for (const [n, parts] of bufs) out.set(n, Buffer.concat(parts).toString('utf8'));
  return out;
}

function parseXml(xml: string, source: string, part: string, handlers: { open?: (name: string, attrs: Record<string, string>) => void; close?: (name: string) => void; text?: (t: string) => void }): void {
  const p = new SaxesParser({ xmlns: false });
  p.on('error', (e) => { throw new DataError(`the workbook's ${part} is not valid XML (${e.message.split('\n')[0]})`, { file: source }); });
  if (handlers.open) { const h = handlers.open; p.on('opentag', (t) => h(localName(t.name), t.attributes as Record<string, string>)); }
  if (handlers.close) { const h = handlers.close; p.on('closetag', (t) => h(localName(t.name))); }
  if (handlers.text) { const h = handlers.text; p.on('text', h); p.on('cdata', h); }
  p.write(xml).close();
}

function localName(n: string): string {
  const i = n.indexOf(':');
  return i >= 0 ? n.slice(i + 1) : n;
}

export class Workbook implements Book<SheetRef> {
  readonly format = 'xlsx (UTF-8 XML)';
  readonly sheets: SheetRef[] = [];
  private sharedStrings: string[] | null = null;
  private sharedPath: string | null = null;

  constructor(readonly zip: Uint8Array, readonly source: string) {
    if (!hasEocd(zip)) throw new DataError('the workbook is truncated or is not a zip file (no end-of-archive record); copy it again or re-export it', { file: source });
    const parts = readParts(zip, ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', '[Content_Types].xml'], source);
    const wb = parts.get('xl/workbook.xml');
    if (!wb) throw new DataError('this zip file is not an Excel workbook (no xl/workbook.xml)', { file: source });
    const rels = new Map<string, string>();
    parseXml(parts.get('xl/_rels/workbook.xml.rels') ?? '<r/>', source, 'relationships', {
      open: (n, a) => {
        if (n !== 'Relationship' || !a.Id || !a.Target) return;
        if (a.Type?.endsWith('/sharedStrings')) this.sharedPath = resolveTarget(a.Target);
        rels.set(a.Id, resolveTarget(a.Target));
      },
    });
    parseXml(wb, source, 'workbook.xml', {
      open: (n, a) => {
        if (n !== 'sheet') return;
        const id = a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1];
        const path = id ? rels.get(id) : undefined;
        if (a.name && path) this.sheets.push({ name: a.name, path });
      },
    });
    this.sharedPath ??= 'xl/sharedStrings.xml';
  }

  strings(): string[] {
    if (this.sharedStrings) return this.sharedStrings;
    const xml = readParts(this.zip, [this.sharedPath!], this.source).get(this.sharedPath!) ?? '';
    const out: string[] = [];
    let cur: string[] | null = null;
    let inT = false, inRph = false;
    parseXml(xml || '<sst/>', this.source, 'shared strings', {
      open: (n) => { if (n === 'si') cur = []; else if (n === 't' && !inRph) inT = true; else if (n === 'rPh') inRph = true; },
      close: (n) => { if (n === 'si') { out.push((cur ?? []).join('')); cur = null; } else if (n === 't') inT = false; else if (n === 'rPh') inRph = false; },
      text: (t) => { if (inT && cur) cur.push(t); },
    });
    this.sharedStrings = out;
    return out;
  }

  /** The Book interface: the same as `rows`. */
  batches(sheet: SheetRef): Generator<{ row: number; cells: Cell[] }[]> {
    return this.rows(sheet);
  }

  /** Stream a sheet's rows in batches, as the sheet is inflated: memory does not grow with the sheet. */
  *rows(sheet: SheetRef): Generator<{ row: number; cells: Cell[] }[]> {
    const strings = this.strings();
    const p = new SaxesParser({ xmlns: false });
    const decoder = new TextDecoder('utf-8');
    let batch: { row: number; cells: Cell[] }[] = [];
    let rowNum = 0;
    let cells: Cell[] = [];
    let col = -1;
    let type = '';
    let inV = false, inIsT = false;
    let text = '';
    let failure: unknown = null;
    p.on('error', (e) => { failure ??= new DataError(`sheet '${sheet.name}' is not valid XML (${e.message.split('\n')[0]})`, { file: this.source }); });
    p.on('opentag', (t) => {
      const n = localName(t.name);
      const a = t.attributes as Record<string, string>;
      if (n === 'row') { rowNum = a.r ? Number(a.r) : rowNum + 1; cells = []; col = -1; }
      else if (n === 'c') { col = a.r ? colIndex(a.r) : col + 1; type = a.t ?? ''; text = ''; }
      else if (n === 'v') { inV = true; text = ''; }
      else if (n === 't' && type === 'inlineStr') inIsT = true;
    });
    p.on('text', (t) => { if (inV || inIsT) text += t; });
    p.on('closetag', (t) => {
      const n = localName(t.name);
      if (n === 'v') inV = false;
      else if (n === 't') inIsT = false;
      else if (n === 'c') {
        if (col >= 0 && col < MAX_SHEET_COLUMNS) cells[col] = cellValue(type, text, strings);
        else if (col >= MAX_SHEET_COLUMNS) failure ??= new DataError(`row ${rowNum} of sheet '${sheet.name}' has a cell beyond column ${MAX_SHEET_COLUMNS}; this is not a record sheet`, { file: this.source });
        text = '';
      } else if (n === 'row') batch.push({ row: rowNum, cells });
    });
    let found = false;
    for (const _ of inflateSteps(this.zip, (n) => n === sheet.path, (_n, data, final) => {
      found = true;
      p.write(decoder.decode(data, { stream: !final }));
      if (final) p.close();
      if (failure) throw failure;
    }, this.source, MAX_SHEET_BYTES)) {
      if (failure) throw failure;
      if (batch.length) { yield batch; batch = []; }
    }
    if (failure) throw failure;
    if (!found) throw new DataError(`sheet '${sheet.name}' is missing from the workbook (${sheet.path})`, { file: this.source });
    if (batch.length) yield batch;
  }
}

export const MAX_SHEET_COLUMNS = 16384;

function resolveTarget(t: string): string {
  if (t.startsWith('/')) return t.slice(1);
  const parts = ('xl/' + t).split('/');
  const out: string[] = [];
  for (const p of parts) { if (p === '..') out.pop(); else if (p !== '.') out.push(p); }
  return out.join('/');
}

export function colIndex(ref: string): number {
  let n = 0, i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

function cellValue(type: string, text: string, strings: string[]): Cell {
  switch (type) {
    case 's': { const i = Number(text); return strings[i] ?? ''; }
    case 'str': case 'inlineStr': return text;
    case 'b': return text === '1' ? 1 : 0;
    case 'e': return text; // #N/A, #VALUE! …
    default: {
      if (text === '') return undefined;
      const v = Number(text);
      return Number.isNaN(v) ? text : v;
    }
  }
}
