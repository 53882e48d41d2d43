#!/usr/bin/env node
// Writes the binary and generated members of test/fixtures/bad/ (the text ones are written by hand).
// Run after a build: node scripts/make-bad-fixtures.js
import { writeFileSync } from 'node:fs';
import { zipSync, unzipSync, strToU8 } from 'fflate';
import { writeXlsx } from '../dist/generate/xlsx.js';
import { chiEisText, chiCvText } from '../dist/generate/chi.js';

const dir = new URL('../test/fixtures/bad/', import.meta.url);
const put = (name, data) => writeFileSync(new URL(name, dir), data);
const head = ['Record', 'TestTime/Sec', 'Current/mA', 'Capacity/mAh', 'Voltage/V', 'Step-State'];
const rows = [[1, 0, 0, 0, 2.8, 'R'], [2, 0, -0.5, 0, 2.5, 'D_CC'], [3, 3600, -0.5, 0.5, 0, 'D_CC'], [4, 3600, 0.5, 0, 0.02, 'C_CC'], [5, 7200, 0.5, 0.4, 2.5, 'C_CC']];
const good = writeXlsx([{ name: 'Record-Tab', rows: [head, ...rows] }]);

// LAND workbooks
put('xlsx-no-record-sheet.xlsx', writeXlsx([{ name: 'Summary', rows: [['Operator', 'Ana'], ['Cell', 7]] }]));
put('xlsx-no-header.xlsx', writeXlsx([{ name: 'Record-Tab', rows: [['a', 'b', 'c'], [1, 2, 3]] }]));
put('xlsx-text-in-number.xlsx', writeXlsx([{ name: 'Record-Tab', rows: [head, rows[0], [2, 0, -0.5, 'zero', 2.5, 'D_CC']] }]));
put('xlsx-header-only.xlsx', writeXlsx([{ name: 'Record-Tab', rows: [head] }]));
put('xlsx-truncated.xlsx', good.subarray(0, Math.floor(good.length * 0.6)));
put('xlsx-not-a-workbook.xlsx', zipSync({ 'readme.txt': strToU8('not a workbook') }));
put('xlsx-encrypted.xlsx', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(1016).fill(0)]));
{
  const parts = unzipSync(good);
  parts['xl/sharedStrings.xml'] = strToU8('<sst>' + '<si><t>a</t></si>'.repeat(1 << 17) + '</sst>');
  put('xlsx-shared-strings-bomb.xlsx', zipSync(parts, { level: 9 }));
}
{
  const parts = unzipSync(good);
  parts['xl/worksheets/sheet1.xml'] = strToU8('<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></sheetData>');
  put('xlsx-broken-xml.xlsx', zipSync(parts));
}
{
  const parts = unzipSync(good);
  parts['xl/worksheets/sheet1.xml'] = strToU8('<worksheet><sheetData><row r="1"><c r="ZZZZ1"><v>1</v></c></row></sheetData></worksheet>');
  put('xlsx-cell-beyond-last-column.xlsx', zipSync(parts));
}
// LAND text made by program
put('land-10000-columns.csv', Array.from({ length: 10000 }, (_, k) => `c${k}`).join(',') + '\n' + Array.from({ length: 10000 }, () => '1').join(',') + '\n');
put('land-binary-garbage.csv', Uint8Array.from({ length: 4096 }, (_, k) => (k * 7919 + 13) % 256));
// CHI
const eis = chiEisText('randles', [5, 50, 2e-5, 30]);
put('chi-empty.txt', '');
put('chi-no-numeric-data.txt', eis.split('Freq/Hz')[0]);
put('chi-row-too-short.txt', eis.trimEnd().replace(/, [^,]*, [^,]*, [^,]*, [^,\n]*$/, '') + '\n');
put('chi-non-numeric.txt', eis.replace(/\n(8\.254e\+4), /, '\n8.2S4e+4, '));
{ const l = eis.split('\n'); [l[19], l[20]] = [l[20], l[19]]; put('chi-eis-frequencies-not-monotonic.txt', l.join('\n')); }
put('chi-eis-too-few-points.txt', chiEisText('randles', [5, 50, 2e-5, 30], { fHigh: 1e3, fLow: 100, perDecade: 5 }));
put('chi-cv-too-few-points.txt', chiCvText({ low: 0, high: 0.004, init: 0, initDir: 'P', rate: 0.1, segments: 2, anodic: [], cathodic: [] }));
put('chi-binary.bin', Uint8Array.from({ length: 2048 }, (_, k) => (k % 7 === 0 ? 0 : 65 + (k % 26))));
put('chi-memo-only.txt', eis.split('\n').slice(0, 8).join('\n') + '\n');
put('chi-date-only-garbage.txt', 'Feb. 20, 2020   15:55:08\nSomething Else\n\n1,2\n');
console.log('wrote test/fixtures/bad/ (generated members)');
