import pino, { type Logger } from 'pino';

/** Root logger. Participants' identities and raw transcripts are never logged at info level (redacted paths below). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'plenary' },
    redact: { paths: ['password', '*.password', 'code', '*.code', 'token', '*.token', 'authorization', '*.authorization', 'cookie', '*.cookie', 'transcript', '*.transcript', 'personal', '*.personal'], censor: '[redacted]' },
  });
}
