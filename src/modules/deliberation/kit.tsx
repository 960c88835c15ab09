/** @jsxImportSource hono/jsx */
/** Page helpers shared by the deliberation screens. */
import { detailIn, type Lang, type T } from '../../web/i18n.js';
export { formAll as form, many, one, page } from '../../web/kit.js';
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** A refusal's sentence in the reader's language (web/i18n detailIn), or a plain "refused" when none was said in it. */
export const said = (error: { detail: string; extra: Record<string, unknown> }, lang: Lang, t: T) => detailIn(error, lang) ?? t('deliberation.ideas.refused');
