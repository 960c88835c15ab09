/** @jsxImportSource hono/jsx */
/** Ballot screens' shared pieces: the vote form per method, the results (all methods), turnout against quorum. */
import { GRADIENTS } from '../../../pipelines/ballots/index.js';
import type { T } from '../../web/i18n.js';
import type { BallotResult, Choice } from './domain.js';
import type { BallotView } from './service.js';

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
const label = (b: BallotView, id: string) => b.options.find((o) => o.id === id)?.label ?? id;

export function Turnout({ b, t }: { b: BallotView; t: T }) {
  const share = b.eligible > 0 ? b.voted / b.eligible : 0;
  const met = b.eligible > 0 && share >= b.quorum;
  return (
    <section class="card" aria-labelledby="turnout-h" data-turnout={b.voted} data-eligible={b.eligible}>
      <h2 id="turnout-h">{t('ballots.turnout')}</h2>
      <p>
        <meter id="turnout-meter" min={0} max={1} low={b.quorum} optimum={1} value={share} aria-label={t('ballots.turnout')}></meter>{' '}
        {t('ballots.turnout.line', { voted: b.voted, eligible: b.eligible, share: pct(share), quorum: pct(b.quorum) })}
      </p>
      <p data-quorum-met={met ? 'yes' : 'no'}>{b.quorum === 0 ? t('ballots.quorum.none') : met ? t('ballots.quorum.met') : t('ballots.quorum.notmet')}</p>
    </section>
  );
}

export function Rules({ b, t }: { b: BallotView; t: T }) {
  return (
    <ul class="rules">
      <li>{t(`ballots.method.${b.method}.explain`)}</li>
      {b.method === 'threshold' ? <li>{t('ballots.rule.threshold', { share: pct(b.threshold ?? 0), base: t(`ballots.base.${b.thresholdBase ?? 'cast'}`) })}</li> : null}
      {b.method === 'schulze' || b.method === 'borda' ? <li>{t('ballots.rule.unranked')}</li> : null}
      <li>{b.quorum > 0 ? t('ballots.rule.quorum', { share: pct(b.quorum) }) : t('ballots.quorum.none')}</li>
      <li>{t('ballots.rule.times', { opens: b.opensAt.replace('T', ' ').slice(0, 16), closes: b.closesAt.replace('T', ' ').slice(0, 16) })}</li>
    </ul>
  );
}

export function VoteFields({ b, t }: { b: BallotView; t: T }) {
  switch (b.method) {
    case 'threshold':
    case 'approval':
      return (
        <fieldset>
          <legend>{t(b.method === 'threshold' ? 'ballots.vote.support' : 'ballots.vote.approve')}</legend>
          {b.options.map((o) => (
            <p>
              <input type="checkbox" id={`v-${o.id}`} name="approve" value={o.id} /> <label for={`v-${o.id}`}>{o.label}</label>
            </p>
          ))}
        </fieldset>
      );
    case 'schulze':
    case 'borda':
      return (
        <fieldset>
          <legend>{t('ballots.vote.rank')}</legend>
          {b.options.map((o) => (
            <p>
              <label for={`v-${o.id}`}>{o.label}</label>{' '}
              <select id={`v-${o.id}`} name={`rank_${o.id}`}>
                <option value="">{t('ballots.vote.unranked')}</option>
                {b.options.map((_, i) => (
                  <option value={String(i + 1)}>{i + 1}</option>
                ))}
              </select>
            </p>
          ))}
        </fieldset>
      );
    case 'mj':
      return (
        <>
          {b.options.map((o) => (
            <fieldset>
              <legend>{o.label}</legend>
              {(b.grades ?? []).map((g, i) => (
                <span class="grade">
                  <input type="radio" id={`v-${o.id}-${i}`} name={`grade_${o.id}`} value={String(i)} required /> <label for={`v-${o.id}-${i}`}>{g}</label>{' '}
                </span>
              ))}
            </fieldset>
          ))}
        </>
      );
    case 'consent':
      return (
        <fieldset>
          <legend>{t('ballots.vote.gradient', { proposal: b.options[0]?.label ?? '' })}</legend>
          {GRADIENTS.map((g) => (
            <p>
              <input type="radio" id={`v-${g}`} name="gradient" value={g} required /> <label for={`v-${g}`}>{t(`ballots.gradient.${g}`)}</label>
            </p>
          ))}
        </fieldset>
      );
  }
}

/** A choice in words (public list, receipt lookup). */
export function choiceText(b: BallotView, c: Choice, t: T): string {
  if ('approve' in c) return c.approve.length ? c.approve.map((id) => label(b, id)).join(', ') : t('ballots.choice.none');
  if ('ranking' in c) return c.ranking.map((tier) => tier.map((id) => label(b, id)).join(' = ')).join(' > ');
  if ('grades' in c) return Object.entries(c.grades).map(([id, g]) => `${label(b, id)}: ${b.grades?.[g] ?? g}`).join('; ');
  return t(`ballots.gradient.${c.gradient}`);
}

function Matrix({ b, m, caption, id }: { b: BallotView; m: number[][]; caption: string; id: string }) {
  return (
    <div class="scroll">
      <table data-matrix={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <td></td>
            {b.options.map((o) => (
              <th scope="col">{o.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.map((row, x) => (
            <tr>
              <th scope="row">{b.options[x].label}</th>
              {row.map((v, y) => (
                <td>{x === y ? '—' : Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '∞'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Results({ b, r, t }: { b: BallotView; r: BallotResult; t: T }) {
  const d = r.detail as Record<string, unknown>;
  return (
    <section class="card" aria-labelledby="results-h" data-results>
      <h2 id="results-h">{t('ballots.results')}</h2>
      {!r.quorumMet ? <p role="alert">{t('ballots.results.noquorum')}</p> : null}
      <p data-winners>{r.winners.length ? t(b.method === 'threshold' ? 'ballots.results.passing' : 'ballots.results.winners', { names: r.winners.map((id) => label(b, id)).join(', ') }) : t('ballots.results.nowinner')}</p>
      {b.method !== 'consent' ? (
        <ol data-ranking>
          {r.ranking.map((tier) => (
            <li>{tier.map((id) => label(b, id)).join(' = ')}</li>
          ))}
        </ol>
      ) : null}
      {b.method === 'threshold' || b.method === 'approval' ? (
        <table>
          <caption>{t('ballots.results.support')}</caption>
          <thead><tr><th scope="col">{t('ballots.option')}</th><th scope="col">{t('ballots.results.count')}</th>{b.method === 'threshold' ? <><th scope="col">{t('ballots.results.share')}</th><th scope="col">{t('ballots.results.passes')}</th></> : null}</tr></thead>
          <tbody>
            {b.options.map((o, i) => (
              <tr>
                <th scope="row">{o.label}</th>
                <td>{((d.support ?? d.approvals) as number[])[i]}</td>
                {b.method === 'threshold' ? <><td>{pct((d.share as number[])[i])}</td><td>{(d.passed as boolean[])[i] ? t('ballots.yes') : t('ballots.no')}</td></> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {b.method === 'schulze' ? (
        <>
          <Matrix b={b} m={d.pairwise as number[][]} caption={t('ballots.results.pairwise')} id="pairwise" />
          <Matrix b={b} m={d.paths as number[][]} caption={t('ballots.results.paths')} id="paths" />
        </>
      ) : null}
      {b.method === 'borda' ? (
        <table>
          <caption>{t('ballots.results.points')}</caption>
          <tbody>{b.options.map((o, i) => <tr><th scope="row">{o.label}</th><td>{(d.scores as number[])[i]}</td></tr>)}</tbody>
        </table>
      ) : null}
      {b.method === 'mj' ? (
        <div class="scroll">
          <table data-grades>
            <caption>{t('ballots.results.grades')}</caption>
            <thead><tr><th scope="col">{t('ballots.option')}</th>{(b.grades ?? []).map((g) => <th scope="col">{g}</th>)}<th scope="col">{t('ballots.results.majoritygrade')}</th></tr></thead>
            <tbody>
              {(d.results as Array<{ option: string; counts: number[]; majorityGradeName: string | null }>).map((x) => (
                <tr><th scope="row">{label(b, x.option)}</th>{x.counts.map((n) => <td>{n}</td>)}<td>{x.majorityGradeName ?? '—'}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {b.method === 'consent' ? (
        <>
          <p data-blocks>{t('ballots.results.blocks', { blocks: d.blocks as number, objections: d.objections as number })}</p>
          <table>
            <caption>{t('ballots.results.gradients')}</caption>
            <tbody>{GRADIENTS.map((g) => <tr><th scope="row">{t(`ballots.gradient.${g}`)}</th><td>{(d.counts as Record<string, number>)[g]}</td></tr>)}</tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

/** What the secret ballot protects and what it does not (shown on every ballot page). */
export function Secrecy({ t }: { t: T }) {
  return (
    <details class="card">
      <summary>{t('ballots.secrecy.title')}</summary>
      <p>{t('ballots.secrecy.how')}</p>
      <p>{t('ballots.secrecy.verify')}</p>
      <p><strong>{t('ballots.secrecy.limits')}</strong></p>
    </details>
  );
}
