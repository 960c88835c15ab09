/**
 * The brochure's style sheet, inlined into the document so the PDF needs nothing else: A4 pages, the assembly and each theme on a
 * new page, headings kept with what follows, short fields not split; on screen a single readable column down to 360 px.
 */
export const BROCHURE_CSS = `
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
*, *::before, *::after { box-sizing: border-box; }
html { font-family: "DejaVu Serif", Georgia, "Times New Roman", serif; line-height: 1.5; color: #111; background: #fff; }
body { margin: 0 auto; max-width: 46rem; padding: 1.25rem; overflow-wrap: anywhere; }
h1, h2, h3, h4 { font-family: "DejaVu Sans", Arial, sans-serif; line-height: 1.25; break-after: avoid-page; break-inside: avoid-page; }
h1 { font-size: 2rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.5rem; margin: 0 0 1rem; border-bottom: 2px solid #1f3f73; padding-bottom: .25rem; }
h3 { font-size: 1.2rem; margin: 1.75rem 0 .25rem; color: #1f3f73; }
h4 { font-size: 1rem; margin: .9rem 0 .2rem; }
p { margin: .3rem 0 .6rem; }
a { color: #1f3f73; }
.cover { padding: 2rem 0 1.5rem; }
.kicker, .theme-kicker { font-family: "DejaVu Sans", Arial, sans-serif; text-transform: uppercase; letter-spacing: .06em; font-size: .85rem; color: #444; display: block; }
.meta { color: #333; font-size: .95rem; }
.label { display: inline-block; border: 1px solid #6b4e00; background: #fff8e1; color: #3d2c00; font-size: .85rem; padding: .05rem .5rem; border-radius: 3px; }
.note { font-size: .9rem; color: #333; }
.links a { margin-right: 1rem; }
.toc ol { list-style: none; padding-left: 0; margin: 0; }
.toc ol ol { padding-left: 1.25rem; margin-bottom: .5rem; }
.toc li { margin: .2rem 0; }
.toc a { text-decoration: none; }
.toc a:hover, .toc a:focus { text-decoration: underline; }
.rec { border-top: 1px solid #bbb; padding-top: .25rem; }
h2 + .rec { border-top: 0; }
.evidence .url { display: none; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
@media (max-width: 420px) {
  body { padding: .75rem; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.25rem; }
  table { font-size: .85rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .screen-only { display: none; }
  .cover { padding-top: 30mm; }
  .chapter { break-before: page; }
  .field, .meta, .label, li { break-inside: avoid-page; }
  #selection { margin-top: 2rem; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
  .evidence .url { display: inline; font-size: .8em; color: #333; }
  .evidence .url::before { content: "— "; }
}
`;
