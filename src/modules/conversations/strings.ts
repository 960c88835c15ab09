import type { T } from '../../web/i18n.js';
import type { MapStrings } from './svg.js';

/** The SVG map's texts in the reader's language. */
export function mapStrings(t: T, topic: string): MapStrings {
  return {
    title: t('conv.map.title', { topic }),
    summary: (n, k) => t('conv.map.summary', { n, k }),
    group: (label, size) => t('conv.map.group', { label, n: size }),
    you: t('conv.map.you'),
    statement: t('conv.statement'),
  };
}
