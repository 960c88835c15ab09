/** The desk's own styles (inline: the CSP allows inline styles; nothing else on the site needs them). */
export const DESK_CSS = `
.desk-bar { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 2px solid #d0d0d0; padding: .5rem 0; display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-start; }
.desk-bar form { margin: 0; }
.desk-bar button { margin-top: 0; }
.desk-bar p { margin: .25rem 0; }
.desk-button { display: inline-block; padding: .45rem .9rem; border: 1px solid currentColor; border-radius: 4px; text-decoration: none; }
.desk-reject summary { cursor: pointer; padding: .45rem .2rem; color: #a3123a; font-weight: 600; }
.desk-reject[open] { flex-basis: 100%; }
.desk-why { font-size: 1.05rem; }
.desk-render svg, .desk svg { max-width: 100%; height: auto; }
.desk figure { margin: 0 0 1rem; }
.desk-scroll { max-width: 100%; overflow-x: auto; }
.desk-sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
.desk-dl { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: .2rem 1rem; margin: .5rem 0; }
.desk-dl dt { font-weight: 600; }
.desk-dl dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.desk-hash { font-family: ui-monospace, monospace; font-size: .8rem; overflow-wrap: anywhere; }
.desk-fold { margin: 1rem 0; border: 1px solid #d0d0d0; border-radius: 6px; padding: .5rem 1rem; }
.desk-fold > summary { cursor: pointer; font-weight: 600; }
.desk ins { background: #e3f4e8; color: #0f5223; text-decoration: underline; }
.desk del { background: #fbe4e8; color: #7a0c26; text-decoration: line-through; }
.badge.change-added { background: #e3f4e8; color: #0f5223; }
.badge.change-removed { background: #fbe4e8; color: #7a0c26; }
.badge.change-changed { background: #fff4d6; color: #6b4e00; }
.desk-cite summary { cursor: pointer; display: inline; color: #0b5fa5; }
.desk-cite blockquote { margin: .4rem 0 .6rem; padding: .3rem .8rem; border-left: 4px solid #d0d0d0; }
.desk-pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .5rem 1rem; }
.desk-edit-row { border-top: 1px solid #e5e5e5; padding-top: .5rem; margin-top: .5rem; }
.desk textarea { min-height: 4rem; }
.desk-error { border: 2px solid #a3123a; border-radius: 6px; padding: .5rem 1rem; }
.desk-more form { margin-bottom: 1rem; }
.desk fieldset { border: 1px solid #d0d0d0; border-radius: 6px; margin: .75rem 0; min-width: 0; }
.desk-check label { display: inline; font-weight: 400; }
.desk-check { margin: .3rem 0; }
.desk input[type=checkbox] { width: auto; }
@media (max-width: 30rem) { .desk-dl { grid-template-columns: 1fr; } }
`;
