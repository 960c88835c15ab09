import { AppError, type ErrorCode, type FieldError, saying } from '../../platform/errors.js';

/**
 * Impact tracking: pure rules. Statuses, how progress must agree with them, dates, sources.
 *
 * Progress rule (percent, an integer 0–100):
 * - not_started: 0
 * - in_progress: 0–99 (work has begun; 100 would be "implemented")
 * - partly_implemented: 1–99 (the decision-maker finished with part of it done)
 * - implemented: 100
 * - rejected: 0 (if some was done, the honest status is partly_implemented)
 * When the status changes and no progress is given, the forced value (0 or 100) is used, or the current one if it
 * fits; otherwise the caller must say it.
 */
export const IMPACT_STATUSES = ['not_started', 'in_progress', 'implemented', 'partly_implemented', 'rejected'] as const;
export type ImpactStatus = (typeof IMPACT_STATUSES)[number];

export const PROGRESS_RANGE: Record<ImpactStatus, [number, number]> = {
  not_started: [0, 0],
  in_progress: [0, 99],
  partly_implemented: [1, 99],
  implemented: [100, 100],
  rejected: [0, 0],
};

const STATUS_FR: Record<ImpactStatus, string> = { not_started: 'pas commencée', in_progress: 'en cours', implemented: 'mise en œuvre', partly_implemented: 'partiellement mise en œuvre', rejected: 'rejetée' };
const STATUS_EN: Record<ImpactStatus, string> = { not_started: 'not started', in_progress: 'in progress', implemented: 'implemented', partly_implemented: 'partly implemented', rejected: 'rejected' };

export const TEXT_MAX = 8000;
export const THEME_MAX = 80;
export const SOURCES_MAX = 10;

/**
 * An error with its English detail and the catalogue sentence (i18n/*.json `key`, with `vars`) that readers of
 * another language get instead (platform/errors saying(); problem+json and pages pick it by the request's language).
 * The vars carry each language's own words (a0… English, b0… French) where a sentence names a status or a field.
 */
export function problem(code: ErrorCode, en: string, key: string, vars: Record<string, string | number>, errors?: FieldError[]): AppError {
  return saying(new AppError(code, en, errors ? { errors } : {}), key, vars);
}

export function parseStatus(v: unknown): ImpactStatus {
  if (typeof v === 'string' && (IMPACT_STATUSES as readonly string[]).includes(v)) return v as ImpactStatus;
  throw problem('VALIDATION', `Unknown status '${String(v)}'; use one of: ${IMPACT_STATUSES.join(', ')}.`, 'impact.err.unknownStatusUseOne', { a0: String(v), a1: IMPACT_STATUSES.join(', '), b0: String(v), b1: IMPACT_STATUSES.join(', ') }, [{ path: 'status', message: `One of ${IMPACT_STATUSES.join(', ')}` }], );
}

/** The progress to store for a status: checks bounds and agreement with the status (the rule above). */
export function checkProgress(status: ImpactStatus, progress: number | undefined | null, current: number): number {
  const [lo, hi] = PROGRESS_RANGE[status];
  if (progress === undefined || progress === null) {
    if (lo === hi) return lo;
    if (current >= lo && current <= hi) return current;
    throw problem('VALIDATION', `Say how far along it is: a recommendation ${STATUS_EN[status]} has a progress between ${lo} and ${hi} %.`, 'impact.err.sayHowFarAlong', { a0: STATUS_EN[status], a1: lo, a2: hi, b0: STATUS_FR[status], b1: lo, b2: hi }, [{ path: 'progress', message: `${lo}–${hi}` }]);
  }
  if (!Number.isInteger(progress) || progress < 0 || progress > 100)
    throw problem('VALIDATION', `Progress is a whole percentage between 0 and 100; ${progress} is not.`, 'impact.err.progressIsAWhole', { a0: progress, b0: progress }, [{ path: 'progress', message: '0–100' }]);
  if (progress < lo || progress > hi)
    throw problem(
      'VALIDATION',
      lo === hi ? `A recommendation ${STATUS_EN[status]} is at ${lo} %, not ${progress} %.` : `A recommendation ${STATUS_EN[status]} is between ${lo} and ${hi} %, not ${progress} %.`,
      lo === hi ? 'impact.err.progressFixed' : 'impact.err.progressRange',
      { a0: STATUS_EN[status], b0: STATUS_FR[status], lo, hi, progress },
      [{ path: 'progress', message: `${lo}–${hi} for ${status}` }],
    );
  return progress;
}

/** The day (YYYY-MM-DD, UTC) of a clock reading. */
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A calendar date that has already come: responses and timeline entries record what happened, so a date after
 * today is refused (one day of slack for time zones ahead of UTC).
 */
export function checkPastDate(v: unknown, field: string, now: Date): string {
  const s = typeof v === 'string' ? v.trim() : '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !d || dayOf(d) !== s || +m[1] < 1900)
    throw problem('VALIDATION', `The date must be a calendar date written YYYY-MM-DD; '${s}' is not.`, 'impact.err.theDateMustBe', { a0: s, b0: s }, [{ path: field, message: 'YYYY-MM-DD' }]);
  const latest = dayOf(new Date(now.getTime() + 24 * 3600 * 1000));
  if (s > latest) throw problem('VALIDATION', `The date ${s} is in the future; record what has happened, with the day it happened.`, 'impact.err.theDateIsIn', { a0: s, b0: s }, [{ path: field, message: 'Not in the future' }]);
  return s;
}

/** An http(s) link, as given (trimmed). */
export function checkUrl(v: unknown, field: string): string {
  const s = typeof v === 'string' ? v.trim() : '';
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(s).protocol) && s.length <= 2000;
  } catch {
    ok = false;
  }
  if (!ok) throw problem('VALIDATION', `'${s.slice(0, 100)}' is not a web link; give an address starting with http:// or https://.`, 'impact.err.isNotAWeb', { a0: s.slice(0, 100), b0: s.slice(0, 100) }, [{ path: field, message: 'http(s) URL' }]);
  return s;
}

/** Sources: one per line, a link then an optional title (as recommendations' evidence). At least one, at most 10. */
export function parseSources(lines: string | string[], field = 'sources'): { url: string; title: string }[] {
  const list = (Array.isArray(lines) ? lines : lines.split('\n')).map((l) => l.trim()).filter(Boolean);
  if (!list.length) throw problem('VALIDATION', 'Give at least one source: a link to where this can be checked.', 'impact.err.giveAtLeastOne', {}, [{ path: field, message: 'At least one link' }]);
  if (list.length > SOURCES_MAX) throw problem('VALIDATION', `At most ${SOURCES_MAX} sources per entry.`, 'impact.err.atMostSourcesPer', { a0: SOURCES_MAX, b0: SOURCES_MAX }, [{ path: field, message: `At most ${SOURCES_MAX}` }]);
  return list.map((l, i) => {
    const [url, ...rest] = l.split(/\s+/);
    const title = rest.join(' ').slice(0, 200);
    return { url: checkUrl(url, `${field}.${i}`), title: title || url };
  });
}

/** Free text: trimmed, control characters removed, 1..max characters. */
const FIELD_FR: Record<string, string> = { text: 'texte', responseText: 'réponse', theme: 'thème' };
export function checkText(v: unknown, field: string, max = TEXT_MAX, min = 1): string {
  const fr = FIELD_FR[field] ?? field;
  // eslint-disable-next-line no-control-regex
  const s = typeof v === 'string' ? v.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim() : '';
  if (s.length < min) throw problem('VALIDATION', `The ${field} is empty; write what happened.`, 'impact.err.theIsEmptyWrite', { a0: field, b0: fr }, [{ path: field, message: 'Required' }]);
  if (s.length > max) throw problem('VALIDATION', `The ${field} can be at most ${max} characters; it has ${s.length}.`, 'impact.err.theCanBeAt', { a0: field, a1: max, a2: s.length, b0: fr, b1: max, b2: s.length }, [{ path: field, message: `At most ${max} characters` }]);
  return s;
}
