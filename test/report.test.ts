// `hcarb report`: the page opened in headless Chromium (Debian's chromium; .ci/run installs it, this
// test skips with a message without it) shows the summary table and a figure for every cell, makes
// no network request, logs no console error, and its table sorts; the page's numbers are the summary
// command's own.
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, hcarb } from './helpers/io.js';

const CHROMIUM = process.env.HCARB_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`report browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set HCARB_CHROMIUM)`);

const dir = mkdtempSync(join(tmpdir(), 'hcarb-report-'));
const second = join(dir, 'hard-carbon_T1500C_cell-B.csv');
copyFileSync(join(ROOT, 'samples/npnhc-t1200.csv'), second);
const inputs = [join(ROOT, 'samples/npnhc-t1200.csv'), second, join(ROOT, 'samples/npnhc-cv-0.5mVs.txt'), join(ROOT, 'samples/npnhc-eis.txt')];
const out = join(dir, 'report.html');
writeFileSync(join(dir, 'masses.csv'), 'file,mass_mg\nnpnhc-t1200.csv,3.8\nhard-carbon_T1500C_cell-B.csv,7.6\n');
const made = hcarb(['report', ...inputs, '--out', out, '--masses', join(dir, 'masses.csv')]);

describe('report', () => {
  it('is self-contained, --masses honoured: no external reference, every cell with its figures, summary numbers as the summary command gives them', async () => {
    expect(made.stderr).toMatch(/wrote .*report\.html \(4 file\(s\), 8 figures\)/);
    expect(made.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    expect((html.match(/<section class="cell"/g) ?? []).length).toBe(4);
    expect((html.match(/<svg /g) ?? []).length).toBe(3 + 3 + 1 + 1);
    // ICE of the sample: 305.39673 / 373.3 = 81.81 % (the summary command's number; the mass does not change a ratio)
    const s = JSON.parse(hcarb(['summary', join(ROOT, 'samples/npnhc-t1200.csv'), '--json']).stdout)[0];
    expect(html).toContain(`data-v="${s.ice_pct}"`);
    // the copy has a mass of 7.6 mg from --masses instead of the file's 3.8 mg: half the specific capacity
    const q = s.q_dis_mAh_g as number;
    expect(html).toContain(`data-v="${q}"`);
    expect(html).toContain(`data-v="${Number((q / 2).toPrecision(12))}"`);
  });

  it.skipIf(!HAVE_CHROMIUM)('renders in headless Chromium: no console error, no request, table and a figure per cell visible, sortable', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [], requests: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (q) => requests.push(q.url()));
      const url = 'file://' + out;
      await page.goto(url, { waitUntil: 'load' });
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      const table = page.locator('table#summary');
      expect(await table.isVisible()).toBe(true);
      expect(await table.locator('tbody tr').count()).toBe(2);
      const shot = await table.screenshot();
      expect(shot.length).toBeGreaterThan(1000);
      const sections = page.locator('section.cell');
      expect(await sections.count()).toBe(4);
      for (let k = 0; k < 4; k++) {
        const fig = sections.nth(k).locator('figure svg').first();
        await fig.scrollIntoViewIfNeeded();
        expect(await fig.isVisible()).toBe(true);
        const box = (await fig.boundingBox())!;
        // 8.5 cm at 96 px per inch
        expect(Math.abs(box.width - (8.5 / 2.54) * 96)).toBeLessThan(2);
        expect(box.height).toBeGreaterThan(150);
        const png = await fig.screenshot();
        expect(png.length).toBeGreaterThan(5000);
      }
      // sort by the second column (mass) ascending, then descending
      const th = table.locator('th').nth(1);
      await th.click();
      const first = async () => table.locator('tbody tr').first().locator('td').nth(1).getAttribute('data-v');
      expect(Number(await first())).toBe(3.8);
      await th.click();
      expect(Number(await first())).toBe(7.6);
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  });
});
