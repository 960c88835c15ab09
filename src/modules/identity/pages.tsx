/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import type { AssemblyStaffRole } from '../../platform/context.js';
import { translator, type T } from '../../web/i18n.js';
import { Csrf, form, page } from '../../web/kit.js';
import { listAssemblies } from '../assemblies/service.js';
import { PASSPHRASE } from './domain.js';
import { memberAccessList, reissueCode, setPassphrase } from './access.js';
import { listAllTokens, revokeToken } from './service.js';
import { ASSEMBLY_STAFF_ROLES, grantStaffRole, revokeStaffRole, staffOverview } from './staff-roles.js';

/** a time for people: date and hour in UTC, or a dash */
const when = (iso: string | null | undefined, t: T) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : t('identity.never'));

export function identityPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));

  // ---- facilitators: who signs in, reissue a lost code ----
  r.get('/facilitate/:assemblyId/members', requireAction('members.invite'), (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const rows = memberAccessList(ctx(c), a);
    return page(
      c,
      t('identity.members.title'),
      <>
        <p>
          <a href={`/facilitate/${a}`}>{t('review.back')}</a>
        </p>
        <h1>{t('identity.members.title')}</h1>
        <p>{t('identity.members.help')}</p>
        <div class="scroll">
          <table data-testid="member-access">
            <caption class="visually-hidden">{t('identity.members.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('identity.members.pseudonym')}</th>
                <th scope="col">{t('identity.members.joined')}</th>
                <th scope="col">{t('identity.members.last')}</th>
                <th scope="col">{t('identity.members.passphrase')}</th>
                <th scope="col">{t('identity.members.code')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr data-member={m.userId}>
                  <th scope="row">{m.pseudonym ?? m.userId}</th>
                  <td>{when(m.joinedAt, t)}</td>
                  <td data-last-signin={m.lastSignInAt ?? ''}>{when(m.lastSignInAt, t)}</td>
                  <td>{m.hasPassphrase ? t('identity.yes') : t('identity.no')}</td>
                  <td>
                    {m.closed ? (
                      t('identity.members.closed')
                    ) : (
                      <form method="post" action={`/facilitate/${a}/members/${m.userId}/code`}>
                        <Csrf c={c} />
                        <button type="submit" class="secondary" aria-label={t('identity.members.reissueFor', { name: m.pseudonym ?? '' })}>
                          {t('identity.members.reissue')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/members/:userId/code', requireAction('members.invite'), (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const res = reissueCode(ctx(c), a, c.req.param('userId'));
    const name = memberAccessList(ctx(c), a).find((m) => m.userId === res.userId)?.pseudonym ?? '';
    return page(
      c,
      t('identity.members.newcode'),
      <>
        <h1>{t('identity.members.newcode')}</h1>
        <p>{t('identity.members.newcodeFor', { name })}</p>
        <p class="codes" data-testid="new-code">
          {res.code}
        </p>
        <p>{t('identity.members.newcodeHelp')}</p>
        <p>
          <a href={`/facilitate/${a}/members`}>{t('review.back')}</a>
        </p>
      </>,
    );
  });

  // ---- a member adds a passphrase ----
  r.post('/a/:assemblyId/me/passphrase', requireAction('self.data'), async (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const f = await form(c);
    const remove = f.remove === '1';
    if (!remove) {
      const parsed = PASSPHRASE.safeParse(f.passphrase ?? '');
      if (!parsed.success) throw new AppError('VALIDATION', t('identity.passphrase.rule'), { errors: [{ path: 'passphrase', message: parsed.error.issues[0].message }] });
      if (f.passphrase !== f.confirm) throw new AppError('VALIDATION', t('identity.passphrase.mismatch'), { errors: [{ path: 'confirm', message: 'does not match' }] });
    }
    const res = await setPassphrase(ctx(c), a, remove ? null : f.passphrase!);
    return page(
      c,
      t('identity.passphrase'),
      <>
        <h1>{t('identity.passphrase')}</h1>
        <p role="status">{res.hasPassphrase ? t('identity.passphrase.set') : t('identity.passphrase.removed')}</p>
        <p>
          <a href={`/a/${a}/me`}>{t('review.back')}</a>
        </p>
      </>,
    );
  });

  // ---- admins: staff roles per assembly, API tokens ----
  r.get('/admin/staff', requireAction('users.manage'), (c) => {
    const t = translator(c.get('lang'));
    const staff = staffOverview(ctx(c));
    const assemblies = listAssemblies(ctx(c));
    const assignable = staff.filter((u) => u.role !== 'admin');
    return page(
      c,
      t('identity.staff.title'),
      <>
        <h1>{t('identity.staff.title')}</h1>
        <p>{t('identity.staff.help')}</p>
        <ul data-testid="staff-roles">
          {staff.map((u) => (
            <li data-user={u.id}>
              <strong>{u.displayName}</strong> ({u.username}, {t(`identity.role.${u.role}`)}){' '}
              {u.role === 'admin' ? (
                t('identity.staff.global')
              ) : u.assemblies.length === 0 ? (
                t('identity.staff.none')
              ) : (
                <ul>
                  {u.assemblies.map((x) => (
                    <li>
                      {x.title}: {t(`identity.role.${x.role}`)}
                      <form method="post" action="/admin/staff/remove" class="inline">
                        <Csrf c={c} />
                        <input type="hidden" name="assemblyId" value={x.assemblyId} />
                        <input type="hidden" name="userId" value={u.id} />
                        <button type="submit" class="secondary" aria-label={t('identity.staff.removeFor', { name: u.displayName, assembly: x.title })}>
                          {t('identity.staff.remove')}
                        </button>
                      </form>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
        <section class="card" aria-labelledby="grant-h">
          <h2 id="grant-h">{t('identity.staff.grant')}</h2>
          <form method="post" action="/admin/staff">
            <Csrf c={c} />
            <label for="g-user">{t('identity.staff.person')}</label>
            <select id="g-user" name="userId" required>
              {assignable.map((u) => (
                <option value={u.id}>{u.displayName}</option>
              ))}
            </select>
            <label for="g-assembly">{t('identity.staff.assembly')}</label>
            <select id="g-assembly" name="assemblyId" required>
              {assemblies.map((x) => (
                <option value={x.id}>{x.title}</option>
              ))}
            </select>
            <label for="g-role">{t('identity.staff.role')}</label>
            <select id="g-role" name="role" required>
              {ASSEMBLY_STAFF_ROLES.map((x) => (
                <option value={x}>{t(`identity.role.${x}`)}</option>
              ))}
            </select>
            <button type="submit">{t('identity.staff.grant')}</button>
          </form>
        </section>
        <p>
          <a href="/admin/tokens">{t('identity.tokens.title')}</a>
        </p>
      </>,
    );
  });

  r.post('/admin/staff', requireAction('users.manage'), async (c) => {
    const f = await form(c);
    if (!(ASSEMBLY_STAFF_ROLES as readonly string[]).includes(f.role ?? '')) throw new AppError('VALIDATION', 'Choose facilitator, co-facilitator or researcher.', { errors: [{ path: 'role', message: 'unknown role' }] });
    grantStaffRole(ctx(c), f.assemblyId ?? '', f.userId ?? '', f.role as AssemblyStaffRole);
    return c.redirect('/admin/staff', 303);
  });

  r.post('/admin/staff/remove', requireAction('users.manage'), async (c) => {
    const f = await form(c);
    revokeStaffRole(ctx(c), f.assemblyId ?? '', f.userId ?? '');
    return c.redirect('/admin/staff', 303);
  });

  r.get('/admin/tokens', requireAction('users.manage'), (c) => {
    const t = translator(c.get('lang'));
    const now = deps.clock().toISOString();
    const tokens = listAllTokens(ctx(c));
    return page(
      c,
      t('identity.tokens.title'),
      <>
        <h1>{t('identity.tokens.title')}</h1>
        <div class="scroll">
          <table data-testid="tokens">
            <caption class="visually-hidden">{t('identity.tokens.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('identity.tokens.name')}</th>
                <th scope="col">{t('identity.tokens.owner')}</th>
                <th scope="col">{t('identity.tokens.lastUsed')}</th>
                <th scope="col">{t('identity.tokens.expires')}</th>
                <th scope="col">{t('identity.tokens.state')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((k) => (
                <tr data-token={k.id}>
                  <th scope="row">{k.name}</th>
                  <td>{k.user}</td>
                  <td>{when(k.lastUsedAt, t)}</td>
                  <td>{when(k.expiresAt, t)}</td>
                  <td>
                    {k.revokedAt ? (
                      t('identity.tokens.revoked')
                    ) : k.expiresAt && k.expiresAt <= now ? (
                      t('identity.tokens.expired')
                    ) : (
                      <form method="post" action={`/admin/tokens/${k.id}/revoke`}>
                        <Csrf c={c} />
                        <button type="submit" class="danger" aria-label={t('identity.tokens.revokeFor', { name: k.name, owner: k.user })}>
                          {t('identity.tokens.revoke')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>,
    );
  });

  r.post('/admin/tokens/:tokenId/revoke', requireAction('users.manage'), (c) => {
    revokeToken(ctx(c), c.req.param('tokenId'), { anyUser: true });
    return c.redirect('/admin/tokens', 303);
  });

  return r;
}
