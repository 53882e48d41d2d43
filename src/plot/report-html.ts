/**
 * The self-contained HTML page of `hcarb report`: a sortable summary table, then one section per
 * file with its figures (inline SVG), its inspect facts, warnings and assumptions. No network: the
 * style and the sorting script are inlined, the figures are SVG elements in the page.
 */
export interface ReportCell {
  file: string;
  name: string;
  /** 'cycling' (LAND/Neware…), or the CHI technique key (cv, eis, …). */
  kind: string;
  figures: { caption: string; svg: string }[];
  facts: [string, string][];
  warnings: string[];
  assumptions: [string, string][];
  error?: string;
}
export interface ReportTable { keys: string[]; headers: string[]; rows: { name: string; cells: (string | number | null)[]; texts: string[] }[] }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `
body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;margin:24px auto;max-width:1100px;color:#111;font-size:14px;line-height:1.4}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 6px;border-bottom:1px solid #ccc;padding-bottom:3px} h3{font-size:14px;margin:12px 0 4px}
.meta{color:#555;font-size:12px}
.scroll{overflow-x:auto} table{border-collapse:collapse;font-size:12px;margin:8px 0}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right;white-space:nowrap}
th{background:#f2f2f2;cursor:pointer;user-select:none} th:first-child,td:first-child{text-align:left}
th[aria-sort=ascending]::after{content:' ▲'} th[aria-sort=descending]::after{content:' ▼'}
.figs{display:flex;flex-wrap:wrap;gap:12px} figure{margin:0;border:1px solid #eee;padding:4px}
figure svg{width:8.5cm;height:auto;display:block} figcaption{font-size:12px;color:#444}
.facts td{text-align:left;white-space:normal} .warn{color:#8a3b00} .error{color:#b00020;font-weight:bold}
ul{margin:4px 0;padding-left:20px}
`;
const SORT_JS = `
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){
    th.addEventListener('click',function(){
      var asc=th.getAttribute('aria-sort')!=='ascending';
      t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort')});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){
        var x=a.cells[i].getAttribute('data-v'),y=b.cells[i].getAttribute('data-v');
        var nx=parseFloat(x),ny=parseFloat(y);
        var c=(x===''&&y==='')?0:x===''?1:y===''?-1:(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);
        return asc?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r)});
    });
  });
});
`;

function table(t: ReportTable, id: string): string {
  const head = t.headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.cells.map((c, k) => `<td data-v="${esc(c === null ? '' : String(c))}">${k === 0 ? `<a href="#${anchor(r.name)}">${esc(r.texts[k]!)}</a>` : esc(r.texts[k]!)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table class="sortable" id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}
const anchor = (name: string): string => 'cell-' + name.replace(/[^A-Za-z0-9_-]/g, '_');
const kv = (xs: [string, string][]): string => `<table class="facts"><tbody>${xs.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;

export function reportHtml(o: { title: string; generated: string; version: string; summary: ReportTable; chi: ReportTable; cells: ReportCell[] }): string {
  const sections = o.cells.map((c) => `
<section class="cell" id="${anchor(c.name)}">
<h2>${esc(c.name)}</h2>
<p class="meta">${esc(c.file)} · ${esc(c.kind)}</p>
${c.error ? `<p class="error">${esc(c.error)}</p>` : ''}
${c.figures.length ? `<div class="figs">${c.figures.map((f) => `<figure>${f.svg.replace(/^<\?xml[^>]*>\s*/, '')}<figcaption>${esc(f.caption)}</figcaption></figure>`).join('\n')}</div>` : ''}
${c.warnings.length ? `<h3>Warnings</h3><ul class="warn">${c.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
${c.facts.length ? `<h3>File</h3>${kv(c.facts)}` : ''}
${c.assumptions.length ? `<h3>Assumptions</h3>${kv(c.assumptions)}` : ''}
</section>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(o.title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(o.title)}</h1>
<p class="meta">hcarb ${esc(o.version)} · ${esc(o.generated)} · ${o.cells.length} file(s). Click a column header to sort.</p>
${o.summary.rows.length ? `<h2>Summary</h2>${table(o.summary, 'summary')}` : ''}
${o.chi.rows.length ? `<h2>CV and impedance files</h2>${table(o.chi, 'chi')}` : ''}
${sections}
<script>${SORT_JS}</script>
</body></html>
`;
}
