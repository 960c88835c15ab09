import { describe, expect, it } from 'vitest';
import { calendar, escapeText, fold, utcDateTime } from './ical.js';

/** RFC 5545 3.1 unfolding: remove every CRLF followed by one space or tab. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('iCalendar (RFC 5545)', () => {
  it('escapes TEXT (3.3.11)', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });
  it('writes UTC DATE-TIME (3.3.5 form #2)', () => {
    expect(utcDateTime('2030-01-01T18:00:00.000Z')).toBe('20300101T180000Z');
    expect(utcDateTime('2030-01-01T19:00:00+01:00')).toBe('20300101T180000Z');
  });
  it('folds at 75 octets without splitting a UTF-8 character, and unfolds back (3.1)', () => {
    const line = `SUMMARY:${'é'.repeat(60)}`; // 8 + 120 octets
    const folded = fold(line);
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(folded).not.toContain('\uFFFD');
    expect(unfold(folded)).toBe(line);
    expect(fold('SHORT:x')).toBe('SHORT:x');
  });
  it('writes a calendar with CRLF lines, one VEVENT per session, every line ≤ 75 octets', () => {
    const ics = calendar({
      name: 'Plenary — Mes sessions',
      now: new Date('2029-12-01T10:00:00Z'),
      events: [{ uid: 'ev1@plenary', start: '2030-01-01T18:00:00Z', end: '2030-01-01T19:30:00Z', summary: 'Séance plénière; transport, logement', description: `Langue : fr\n${'x'.repeat(200)}`, url: 'https://plenary.example/a/1/groups' }],
    });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const l of ics.split('\r\n')) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    const lines = unfold(ics).split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Plenary//Deliberation calendar//EN']);
    expect(lines).toContain('DTSTART:20300101T180000Z');
    expect(lines).toContain('DTEND:20300101T193000Z');
    expect(lines).toContain('DTSTAMP:20291201T100000Z');
    expect(lines).toContain('SUMMARY:Séance plénière\\; transport\\, logement');
    expect(lines.find((l) => l.startsWith('DESCRIPTION:'))).toBe(`DESCRIPTION:Langue : fr\\n${'x'.repeat(200)}`);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines[lines.length - 2]).toBe('END:VCALENDAR');
  });
});
