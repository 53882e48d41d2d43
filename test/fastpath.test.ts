// The fast path and the general parser (papaparse) give identical records, notes, warnings and
// errors on every sample, fixture, generated dialect and (when present) the corpus records.
import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseLandText, fastPath, parseLine, scanState } from '../src/readers/land/fast.js';
import { parseLandTextGeneral, newSourceInfo } from '../src/readers/land/land.js';
import { openLand } from '../src/load.js';
import { landFile, hardCarbonPlan, mixedCsv, type Dialect } from '../src/generate/land.js';
import { CORPUS, HAVE_CORPUS, bytesInput } from './helpers/io.js';

async function run(parse: typeof parseLandText, bytes: Uint8Array, name: string) {
  const info = newSourceInfo(name);
  const records: unknown[] = [];
  try {
    for await (const b of parse(bytesInput(bytes, name, 7919).chunks(), name, info)) for (const r of b) records.push({ ...r });
    return { records, info: JSON.parse(JSON.stringify(info)) as unknown };
  } catch (e) {
    return { error: `${(e as Error).message} @${(e as { line?: number }).line}`, records: records.length };
  }
}

async function same(bytes: Uint8Array, name: string): Promise<number> {
  const f = await run(parseLandText, bytes, name);
  const g = await run(parseLandTextGeneral, bytes, name);
  expect(f).toEqual(g);
  return Array.isArray(f.records) ? f.records.length : -1;
}

/** The first field of a one-line record parsed by the scanner, or null when it would go the general way. */
function one(text: string, comma: boolean, delim = 44): number | null {
  const b = new TextEncoder().encode(`${text}${String.fromCharCode(delim)}1\n`);
  const st = scanState([0, 1], delim, comma);
  parseLine(b, 0, b.length, st);
  return st.ok ? st.val[0]! : null;
}

describe('fast path ≡ general parser', () => {
  it('parses numbers exactly as Number() does', () => {
    const cases = ['0', '-0', '1.5', '-2.500288', '0.001727273', '3.7999999999999994', '1e-5', '-1.23E+4', '5.350e-5', '123456789012345', '+7', '.5', '1.', '0.000000000000000000001'];
    let parsed = 0;
    for (const c of cases) {
      const v = one(c, false);
      if (v !== null) { expect(Object.is(v, Number(c))).toBe(true); parsed++; }
    }
    // only '3.7999999999999994' (17 digits) and the 22-decimal number may go the general way
    expect(parsed).toBeGreaterThanOrEqual(cases.length - 2);
    expect(one('1,25', true, 9)).toBe(1.25);
  });

  it.each(readdirSync('samples').filter((f) => f.endsWith('.csv')))('sample %s', async (f) => {
    expect(await same(readFileSync('samples/' + f), f)).toBeGreaterThan(1000);
  });

  it.each([...readdirSync('test/fixtures/bad').map((f) => 'test/fixtures/bad/' + f), 'test/fixtures/hand-small.csv'])('fixture %s', async (f) => {
    await same(readFileSync(f), f);
  });

  const { plan } = hardCarbonPlan({ cycles: 3 });
  const dialects: [string, Dialect, 'utf-8' | 'gb18030'][] = [
    ['english', {}, 'utf-8'], ['chinese gb18030', { language: 'zh' }, 'gb18030'], ['tab + decimal comma', { delimiter: '\t', decimalComma: true }, 'utf-8'], ['semicolon + decimal comma', { delimiter: ';', decimalComma: true }, 'utf-8'], ['semicolon', { delimiter: ';' }, 'utf-8'],
    ['uA/uAh', { currentUnit: 'uA', capacityUnit: 'uAh' }, 'utf-8'], ['hours', { time: 'hours' }, 'utf-8'], ['D-HH:MM:SS', { time: 'dhms' }, 'utf-8'],
    ['BOM + CRLF', { bom: true, crlf: true }, 'utf-8'], ['shuffled columns', { shuffleColumns: true }, 'utf-8'], ['no state', { states: 'none' }, 'utf-8'],
    ['metadata lines', { metadataLines: ['Test,x', 'Channel,1'] }, 'utf-8'], ['no capacity', { capacityMode: 'none' }, 'utf-8'],
  ];
  it.each(dialects)('generated dialect: %s', async (_n, d, enc) => {
    expect(await same(landFile(plan, d, enc), 'g.csv')).toBeGreaterThan(100);
  });

  it('odd lines mid-file: repeated header, blank line, placeholder, truncated end, long numbers', async () => {
    const lines = new TextDecoder().decode(landFile(plan)).split('\n');
    lines.splice(50, 0, lines[0]!);
    lines.splice(80, 0, '');
    lines[0] = lines[0]!.replace(',Voltage/V', ',Voltage/V\r'); // a CR inside the header line (found by the fuzzer)
    lines[90] = lines[90]!.replace(/,RateD$/, ',-');
    lines[100] = lines[100]!.replace(/^(\d+),(\d+(\.\d+)?)/, '$1,1234567890.1234567');
    const text = lines.join('\n').replace(/\n[^\n]*\n$/, '\n12345,17');
    expect(await same(new TextEncoder().encode(text), 'odd.csv')).toBeGreaterThan(100);
  });

  it.each([['no line end', ''], ['a lone CR', '\r'], ['CRLF', '\r\n'], ['a placeholder state', ',-']])('the last record with %s at the end of the file', async (_n, end) => {
    const text = new TextDecoder().decode(landFile(plan)).replace(/\n$/, '') + end;
    expect(await same(new TextEncoder().encode(text), 'end.csv')).toBeGreaterThan(100);
  });

  describe('time columns written as durations', () => {
    const dhms = new TextDecoder().decode(landFile(plan, { time: 'dhms' }));
    const DUR = /(\d+)-(\d\d):(\d\d):(\d\d)/g;
    const forms: [string, (t: string) => string][] = [
      ['D-HH:MM:SS', (t) => t],
      ['D.HH:MM:SS', (t) => t.replace(DUR, '$1.$2:$3:$4')],
      ['D HH:MM:SS', (t) => t.replace(DUR, '$1 $2:$3:$4')],
      ['H:MM:SS, hours past 24', (t) => t.replace(DUR, (_m, d, h, m, s) => `${+d * 24 + +h}:${m}:${s}`)],
      ['M:SS with decimals', (t) => t.replace(DUR, (_m, d, h, m, s) => `${(+d * 24 + +h) * 60 + +m}:${s}.${d}25`)],
      ['one or two digit fields, 9 decimals', (t) => t.replace(DUR, (_m, d, h, m, s) => `${d}-${+h}:${m}:${+s}.123456789`)],
      ['plain seconds in a column without a unit (a note)', (t) => t.replace(DUR, (_m, d, h, m, s) => String(+d * 86400 + +h * 3600 + +m * 60 + +s))],
      ['durations and plain seconds mixed', (t) => t.replace(DUR, (x, d, h, m, s, off: number) => (off % 3 ? x : String(+d * 86400 + +h * 3600 + +m * 60 + +s)))],
      ['durations under a /Sec header', (t) => t.replace('TestTime,StepTime', 'TestTime/Sec,StepTime/Sec')],
      ['durations under a /h header (not scaled)', (t) => t.replace('TestTime,StepTime', 'TestTime/h,StepTime/h')],
    ];
    it.each(forms)('%s', async (_n, f) => {
      expect(await same(new TextEncoder().encode(f(dhms)), 'dur.csv')).toBeGreaterThan(100);
    });
    it.each(['1-02:03', '1:2:3:4', '-1:00:00', '+0:01', '1234567-00:00:00', '1-123:00:00', '1:02:3.', '1-02:03:04,5', ' 0:00:10', '0:00:10 ', '1e1:00'])('a bad duration %j is refused at the same line either way', async (bad) => {
      const lines = dhms.split('\n');
      lines[40] = lines[40]!.replace(/^(\d+),[^,]*/, `$1,${bad}`);
      await same(new TextEncoder().encode(lines.join('\n')), 'bad-dur.csv');
    });
    it('any near-duration text is read the same either way (property)', async () => {
      const lines = dhms.split('\n').slice(0, 60);
      const durationish = fc.oneof(
        fc.stringMatching(/^\d{1,8}[-. :]\d{1,3}:\d{1,3}(:\d{1,3})?(\.\d{0,10})?$/),
        fc.stringMatching(/^\d{1,10}:\d{1,3}(\.\d{0,10})?$/),
        fc.stringMatching(/^[-+ ]?\d{0,3}[-.: ,e]\d{0,3}:?\d{0,2}[:. ]?\d{0,3}$/),
      );
      await fc.assert(fc.asyncProperty(durationish, fc.integer({ min: 2, max: 59 }), async (d, k) => {
        const copy = [...lines];
        copy[k] = copy[k]!.replace(/^(\d+),[^,]*/, `$1,${d}`);
        await same(new TextEncoder().encode(copy.join('\n') + '\n'), 'p.csv');
      }), { numRuns: 300 });
    });
    it('are read by the scanner, not line by line the general way', async () => {
      const firsts: unknown[] = [];
      for await (const b of parseLandText(bytesInput(landFile(hardCarbonPlan({ cycles: 20 }).plan, { time: 'dhms' }), 'x', 1 << 16).chunks(), 'x', newSourceInfo('x'))) firsts.push(b[0]);
      expect(firsts.length).toBeGreaterThan(2);
      expect(firsts[1]).toBe(firsts[2]);
    });
  });

  describe('UTF-16 exports (LAND "Unicode" text), streamed into UTF-8 for the scanner', () => {
    const utf16 = (text: string, be: boolean): Uint8Array => {
      const out = new Uint8Array(2 + text.length * 2);
      out.set(be ? [0xfe, 0xff] : [0xff, 0xfe]);
      for (let k = 0; k < text.length; k++) {
        const u = text.charCodeAt(k);
        out[2 + 2 * k + (be ? 1 : 0)] = u & 255; out[2 + 2 * k + (be ? 0 : 1)] = u >> 8;
      }
      return out;
    };
    const texts: [string, Dialect][] = [['english', {}], ['chinese', { language: 'zh' }], ['tab + decimal comma + CRLF', { delimiter: '\t', decimalComma: true, crlf: true }], ['durations', { time: 'dhms' }]];
    it.each(texts.flatMap(([n, d]) => [[`${n}, LE`, d, false], [`${n}, BE`, d, true]] as [string, Dialect, boolean][]))('%s', async (_n, d, be) => {
      expect(await same(utf16(new TextDecoder().decode(landFile(plan, d)), be), 'u16.csv')).toBeGreaterThan(100);
    });
    it('a lone surrogate and a quote in the data are read the same either way', async () => {
      const lines = new TextDecoder().decode(landFile(plan)).split('\n');
      lines[30] = lines[30]!.replace(/RateD$/, 'Rate\ud800D');
      await same(utf16(lines.join('\n'), false), 'sur.csv');
      lines[31] = lines[31]!.replace(/,-,/, ',"-",');
      await same(utf16(lines.join('\n'), false), 'quote.csv');
    });
    it('is scanned, not parsed the general way', async () => {
      const firsts: unknown[] = [];
      const bytes = utf16(new TextDecoder().decode(landFile(hardCarbonPlan({ cycles: 20 }).plan)), false);
      for await (const b of parseLandText(bytesInput(bytes, 'x', 1 << 16).chunks(), 'x', newSourceInfo('x'))) firsts.push(b[0]);
      expect(firsts[1]).toBe(firsts[2]);
    });
  });

  describe('quotes', () => {
    const lines = new TextDecoder().decode(landFile(plan)).split('\n');
    const edits: [string, (l: string) => string][] = [
      ['a quoted date', (l) => l.replace(/,(\d{4}-\d\d-\d\d [\d:]+),/, ',"$1",')],
      ['a quoted state', (l) => l.replace(/,(RateD|RateC|R)$/, ',"$1"')],
      ['a quoted number', (l) => l.replace(/^(\d+),([^,]+),/, '$1,"$2",')],
      ['a quoted field holding the delimiter', (l) => l.replace(/,-,-,/, ',"-,-",')],
      ['doubled quotes', (l) => l.replace(/,-,-,/, ',"a""b",-,')],
      ['an unterminated quote', (l) => l.replace(/,-,-,/, ',"-,-,')],
      ['a quote inside a field', (l) => l.replace(/,-,-,/, ',a"b,-,')],
      ['a quoted note after the last column', (l) => l + ',"note, with a comma"'],
    ];
    it.each(edits)('%s on some lines', async (_n, f) => {
      const copy = lines.map((l, k) => (k > 0 && k % 7 === 3 && l ? f(l) : l));
      await same(new TextEncoder().encode(copy.join('\n')), 'q.csv'); // a record, or the same refusal
    });
    it('a file with every text field quoted', async () => {
      const copy = lines.map((l, k) => (k > 0 && l ? l.split(',').map((c) => (/^-?[\d.]+$/.test(c) ? c : `"${c}"`)).join(',') : l));
      expect(await same(new TextEncoder().encode(copy.join('\n')), 'qq.csv')).toBeGreaterThan(100);
    });
  });

  it.each([['semicolons and decimal commas', { delimiter: ';', decimalComma: true }], ['tabs and decimal commas', { delimiter: '\t', decimalComma: true }], ['a quote on some lines', {}]] as [string, Dialect][])('%s are scanned, not parsed the general way', async (name, d) => {
    let text = new TextDecoder().decode(landFile(hardCarbonPlan({ cycles: 20 }).plan, d));
    if (name.includes('quote')) text = text.replace(/,-,-,/g, (m, off: number) => (off % 5 ? m : ',"-",-,'));
    const firsts: unknown[] = [];
    const info = newSourceInfo('x');
    for await (const b of parseLandText(bytesInput(new TextEncoder().encode(text), 'x', 1 << 16).chunks(), 'x', info)) firsts.push(b[0]);
    expect(firsts[1]).toBe(firsts[2]);
    expect(info.delimiter).toBe(d.delimiter === '\t' ? 'tab' : d.delimiter ?? ',');
  });

  it('a mixed export whose cycle and step tables run past the first 64 KB is still scanned', async () => {
    const lines = new TextDecoder().decode(mixedCsv(hardCarbonPlan({ cycles: 20 }).plan)).split('\n');
    const at = lines.findIndex((l) => l.startsWith('Step,'));
    lines.splice(at + 1, 0, ...Array.from({ length: 4000 }, (_, k) => `${k + 1},1,CCD,0.${k}`));
    const bytes = new TextEncoder().encode(lines.join('\n'));
    expect(bytes.length).toBeGreaterThan(2 * 65536);
    expect(await same(bytes, 'mixed.csv')).toBeGreaterThan(1000);
    const firsts: unknown[] = [];
    const info = newSourceInfo('x');
    for await (const b of parseLandText(bytesInput(bytes, 'x', 1 << 16).chunks(), 'x', info)) firsts.push(b[0]);
    expect(firsts[1]).toBe(firsts[2]);
    expect(info.layout).toMatch(/^mixed export/);
  });

  it('is really taken for a plain export (its batches reuse record objects; the general parser\'s do not)', async () => {
    const firsts = async (p: typeof parseLandText) => {
      const out: unknown[] = [];
      for await (const b of p(bytesInput(readFileSync('samples/npnhc-t1200.csv'), 'x', 1 << 16).chunks(), 'x', newSourceInfo('x'))) out.push(b[0]);
      return out;
    };
    const fast = await firsts(parseLandText);
    expect(fast.length).toBeGreaterThan(2);
    expect(fast[1]).toBe(fast[2]);
    const general = await firsts(parseLandTextGeneral);
    expect(general[1]).not.toBe(general[2]);
    expect(fastPath.enabled).toBe(true);
  });
});

describe.skipIf(!HAVE_CORPUS)('fast path ≡ general parser on the corpus records', () => {
  it('the cellpy Record-Tab, written out as CSV', async () => {
    const { records } = await openLand({ name: 'c.xlsx', chunks: async function* () { yield readFileSync(CORPUS + 'land/cellpy_custom_data_002_landt_Si_halfcell.xlsx'); } });
    const out = ['Record,TestTime/Sec,StepTime/Sec,Current/mA,Capacity/mAh,SpeCap/mAh/g,Voltage/V,Cycle-Index,Step-Index,Step-State'];
    let n = 0;
    for await (const b of records) for (const r of b) out.push([++n, r.timeS, r.stepTimeS, r.currentMA, r.capacityMAh, r.specificCapacityMAhG, r.voltageV, r.cycleIndex, r.stepIndex, r.stateKind === 'R' ? 'R' : r.stateKind === 'D' ? 'RateD' : 'RateC'].join(','));
    expect(await same(new TextEncoder().encode(out.join('\n') + '\n'), 'cellpy.csv')).toBe(16538);
  });
});

describe('exactness at the edge of the fast number parser', () => {
  it('long mantissas either parse exactly or go the general way', async () => {
    const cases = ['9007199254740991', '9007199254740993', '900719925474099.9', '0.1234567890123456789', '12345678901234567', '-0.000', '1.5e-22', '1.5e-23', '7e22', '7e23'];
    let ok = 0;
    for (const c of cases) {
      const b = new TextEncoder().encode(`${c},1\n`);
      const st = scanState([0, 1], 44, false);
      parseLine(b, 0, b.length, st);
      if (st.ok) { expect(Object.is(st.val[0], Number(c))).toBe(true); ok++; }
    }
    expect(ok).toBe(2); // '-0.000' and '7e22'; the others are beyond an exact mantissa or exponent and go the general way
  });
});
