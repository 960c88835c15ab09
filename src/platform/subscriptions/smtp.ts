import { connect, type Socket } from 'node:net';
import { AppError } from '../errors.js';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * A small SMTP client (RFC 5321) for notification e-mails: plain TCP to a relay the operator configures
 * (smtp://host:port, typically a local MTA), EHLO, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. No TLS and no
 * authentication: point it at a relay on the same machine or network that handles those. Failures are transient
 * AppErrors so the job runner retries them.
 */
export async function sendMail(url: string, msg: MailMessage, opts: { timeoutMs?: number; hostname?: string } = {}): Promise<void> {
  const u = new URL(url);
  if (u.protocol !== 'smtp:') throw new AppError('VALIDATION', `The SMTP address must look like smtp://host:port (got ${u.protocol}).`);
  for (const v of [msg.from, msg.to]) if (/[\r\n<>]/.test(v)) throw new AppError('VALIDATION', 'An e-mail address contains a forbidden character.');
  const socket = connect({ host: u.hostname, port: Number(u.port || 25) });
  socket.setTimeout(opts.timeoutMs ?? 10_000);
  const lines = replies(socket);
  const expect = async (code: number, what: string) => {
    const reply = await lines.next();
    if (reply.code !== code) throw new AppError('UNAVAILABLE', `The mail relay refused ${what}: ${reply.code} ${reply.text}`, { transient: true });
  };
  const send = (line: string) => socket.write(`${line}\r\n`);
  try {
    await expect(220, 'the connection');
    send(`EHLO ${opts.hostname ?? 'plenary.localdomain'}`);
    await expect(250, 'EHLO');
    send(`MAIL FROM:<${msg.from}>`);
    await expect(250, 'the sender');
    send(`RCPT TO:<${msg.to}>`);
    await expect(250, 'the recipient');
    send('DATA');
    await expect(354, 'DATA');
    const subject = /^[\x20-\x7e]*$/.test(msg.subject) ? msg.subject : `=?UTF-8?B?${Buffer.from(msg.subject, 'utf8').toString('base64')}?=`;
    const headers = [`From: <${msg.from}>`, `To: <${msg.to}>`, `Subject: ${subject}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', `Date: ${new Date().toUTCString()}`];
    const body = msg.text.replace(/\r?\n/g, '\r\n').split('\r\n').map((l) => (l.startsWith('.') ? `.${l}` : l));
    socket.write(`${[...headers, '', ...body].join('\r\n')}\r\n.\r\n`);
    await expect(250, 'the message');
    send('QUIT');
    await lines.next().catch(() => undefined);
  } finally {
    socket.destroy();
  }
}

/** Reads SMTP replies (multi-line replies joined) from a socket. */
function replies(socket: Socket) {
  let buf = '';
  let pending: { resolve: (r: { code: number; text: string }) => void; reject: (e: Error) => void } | null = null;
  const ready: { code: number; text: string }[] = [];
  let failed: Error | null = null;
  let acc: string[] = [];
  const fail = (e: Error) => {
    failed = e;
    pending?.reject(e);
    pending = null;
  };
  socket.on('data', (d) => {
    buf += d.toString('utf8');
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      acc.push(line.slice(4));
      if (line[3] === '-') continue;
      const r = { code: Number(line.slice(0, 3)), text: acc.join(' ') };
      acc = [];
      if (pending) {
        pending.resolve(r);
        pending = null;
      } else ready.push(r);
    }
  });
  socket.on('error', (e) => fail(new AppError('UNAVAILABLE', `The mail relay could not be reached: ${e.message}`, { transient: true })));
  socket.on('timeout', () => fail(new AppError('UNAVAILABLE', 'The mail relay did not answer in time.', { transient: true })));
  socket.on('close', () => fail(new AppError('UNAVAILABLE', 'The mail relay closed the connection.', { transient: true })));
  return {
    next: () =>
      new Promise<{ code: number; text: string }>((resolve, reject) => {
        const r = ready.shift();
        if (r) return resolve(r);
        if (failed) return reject(failed);
        pending = { resolve, reject };
      }),
  };
}
