/**
 * iCalendar (RFC 5545) writer, pure: CRLF line ends (3.1), content lines folded at 75 octets with a CRLF and a
 * single space, never splitting a UTF-8 character (3.1), TEXT values escaped (3.3.11: backslash, semicolon, comma,
 * newline), DATE-TIME in UTC form with the 'Z' suffix (3.3.5, form #2), so no VTIMEZONE is needed.
 */

export interface IcalEvent {
  uid: string;
  /** UTC instants (ISO 8601) */
  start: string;
  end: string;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  /** when the event last changed, UTC */
  lastModified?: string;
}

/** 3.3.11 TEXT escaping */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** 3.3.5 DATE-TIME, UTC: 19980119T070000Z */
export function utcDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a date-time: ${iso}`);
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** 3.1 folding: lines longer than 75 octets are split, each continuation starting with one space. */
export function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75; // the first line holds 75 octets; continuations 74 after their leading space
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--; // do not cut inside a UTF-8 sequence
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74;
  }
  return parts.join('\r\n ');
}

export function calendar(opts: { name: string; events: IcalEvent[]; now: Date; prodId?: string }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${opts.prodId ?? '-//Plenary//Deliberation calendar//EN'}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(opts.name)}`];
  const stamp = utcDateTime(opts.now.toISOString());
  for (const e of opts.events) {
    lines.push('BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${stamp}`, `DTSTART:${utcDateTime(e.start)}`, `DTEND:${utcDateTime(e.end)}`, `SUMMARY:${escapeText(e.summary)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.url) lines.push(`URL:${e.url}`);
    if (e.lastModified) lines.push(`LAST-MODIFIED:${utcDateTime(e.lastModified)}`);
    lines.push('STATUS:CONFIRMED', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
