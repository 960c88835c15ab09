import { afterAll, describe, expect, it } from 'vitest';
import { speechCoverage } from '../../../models/cli.js';
import type { BackendStatus } from '../../../models/types.js';
import { modelsFor } from '../../build.js';
import { testConfig } from '../../config.js';
import { testService } from '../../testing/service.js';

const row = (backend: string, available: boolean, languages?: string[]): BackendStatus => ({ task: 'transcriber', backend, modelId: backend, tier: 'offline', available, chosen: available, ...(languages ? { languages } : {}) });

describe('speech recognition honesty', () => {
  it('speechCoverage: the languages available transcribers cover, and the wanted ones none does', () => {
    expect(speechCoverage([row('pocketsphinx', true, ['en']), row('whisper.cpp', false)], ['fr', 'en', 'fr'])).toMatchObject({ languages: ['en'], without: ['fr'] });
    expect(speechCoverage([row('pocketsphinx', true, ['en']), row('whisper.cpp', true, ['en', 'fr', 'de'])], ['fr', 'en'])).toMatchObject({ languages: ['de', 'en', 'fr'], without: [] });
    const none = speechCoverage([row('pocketsphinx', false)], ['en']);
    expect(none).toMatchObject({ languages: [], without: ['en'] });
    expect(none.fix).toMatch(/Whisper/);
  });

  const models = modelsFor(testConfig());
  afterAll(() => models.close());
  it('/readyz with the real registry says French has no speech recognition (pocketsphinx is English only)', async () => {
    const s = await testService({ models });
    const ready = (await (await s.app.request('/readyz')).json()) as { speech: { languages: string[]; without: string[] }; missing: Array<{ what: string }> };
    const status = await models.status();
    const ps = status.find((b) => b.task === 'transcriber' && b.backend === 'pocketsphinx');
    if (ps?.available) {
      expect(ready.speech.languages).toContain('en');
      expect(ready.speech.without).toContain('fr'); // the test assembly works in French and English
      expect(ready.missing.map((m) => m.what)).toContain('speech recognition: fr');
    } else {
      expect(ready.speech.without).toEqual(expect.arrayContaining(['en', 'fr']));
    }
    if (ps?.available) expect(ready.missing.map((m) => m.what)).not.toContain('speech recognition: en');
  });
});
