import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findItems } from './suite.js';

describe('asr suite: item discovery', () => {
  it('pairs audio with same-stem references in subfolders and reads the language from names or a sidecar', async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'plenary-asr-items-'));
    mkdirSync(path.join(d, 'fleurs-fr-en'));
    mkdirSync(path.join(d, 'jfk'));
    for (const f of ['fleurs-fr-en/fleurs-fr-000.ogg', 'fleurs-fr-en/fleurs-fr-000.txt', 'fleurs-fr-en/fleurs-en-001.ogg', 'fleurs-fr-en/fleurs-en-001.txt', 'jfk/jfk.wav', 'jfk/jfk.reference.txt', 'orphan.wav', 'x.wav', 'x.txt', 'x.lang'])
      writeFileSync(path.join(d, f), f === 'x.lang' ? 'de\n' : 'text');
    const items = await findItems(d);
    expect(items.map((i) => [i.name, i.language])).toEqual([
      ['fleurs-fr-en/fleurs-en-001', 'en'], // the file name wins over the folder,
      ['fleurs-fr-en/fleurs-fr-000', 'fr'],
      ['jfk/jfk', 'en'], // no language in the name: the default
      ['x', 'de'],
    ]);
    expect((await findItems(d, 'fr')).find((i) => i.name === 'jfk/jfk')?.language).toBe('fr');
  });
});
