import type { DbOrTx } from '../../platform/db/client.js';
import type { MemoryEntry } from '../../../pipelines/translation/memory.js';
import { sentenceLanguage } from './domain.js';
import { publicationsRepo } from './repo.js';
import type { StoredBody } from './service.js';

/**
 * The assembly's reviewed translations as translation-memory pairs, oldest first (so the newest wins): every
 * published translation — a machine translation a facilitator approved or edited, or a person's own — paired
 * sentence by sentence with the publication it translates. Sentences quoted as written (already in the reader's
 * language) are not translations and are left out. Only what is still published counts.
 */
export function reviewedTranslationPairs(db: DbOrTx, assemblyId: string): MemoryEntry[] {
  const pubs = publicationsRepo.forAssembly(db, assemblyId).reverse();
  const byId = new Map(pubs.map((p) => [p.id, p]));
  const out: MemoryEntry[] = [];
  for (const p of pubs) {
    const body = p.body as StoredBody;
    const src = body.sourcePublicationId ? byId.get(body.sourcePublicationId) : undefined;
    if (!src) continue;
    const srcSentences = (src.body as StoredBody).sentences;
    if (srcSentences.length !== body.sentences.length) continue;
    body.sentences.forEach((s, i) => {
      if (s.origin === 'original' || s.origin === 'untranslated') return;
      const from = sentenceLanguage(srcSentences[i], src.language);
      if (from === p.language) return;
      out.push({ from, to: p.language, source: srcSentences[i].text, target: s.text });
    });
  }
  return out;
}
