import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { EMAIL_JOB, EmailPayload, subscriptionsApi } from '../../platform/subscriptions/index.js';
import { sendMail } from '../../platform/subscriptions/smtp.js';
import { translator } from '../../web/i18n.js';
import { message } from './service.js';

/**
 * Sends a notification e-mail through the configured relay. Jobs are queued only when SMTP is configured (see
 * subscriptionsApi.notify); if the setting was removed since, the job ends without sending.
 */
export function registerNotificationJobs(deps: Deps) {
  deps.jobs.register(EMAIL_JOB, {
    payload: EmailPayload,
    maxAttempts: 5,
    async handler(ctx) {
      const url = deps.config.smtpUrl;
      const n = subscriptionsApi.byId(ctx.db, ctx.job.payload.notificationId);
      if (!n) throw new AppError('NOT_FOUND', 'This notification no longer exists.');
      if (!url) return ctx.complete(() => ({ sent: false, reason: 'SMTP is no longer configured' }));
      const lang = deps.config.defaultLanguage;
      const text = message(translator(lang), n);
      await sendMail(url, { from: deps.config.mailFrom, to: ctx.job.payload.to, subject: `Plenary: ${text}`.slice(0, 150), text: `${text}\n\n${n.url}\n` });
      return ctx.complete(() => ({ sent: true }));
    },
  });
}
