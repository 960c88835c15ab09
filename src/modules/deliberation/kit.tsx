/** @jsxImportSource hono/jsx */
/** Page helpers shared by the deliberation screens. */
export { formAll as form, many, one, page } from '../../web/kit.js';
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;
