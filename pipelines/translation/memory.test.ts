import { describe, expect, it } from 'vitest';
import { buildMemory, lookupMemory, normaliseSentence, translateWithMemory } from './memory.js';

const mem = buildMemory([
  { from: 'fr', to: 'en', source: 'Il faut plus de bus la nuit.', target: 'We need more night buses.' },
  { from: 'fr', to: 'en', source: 'La taxe passe de 3 % à 5 %.', target: 'The tax goes from 3% to 5%.' },
  { from: 'fr', to: 'en', source: 'Il faut plus de bus la nuit !', target: 'More night buses are needed!' }, // newer wins
  { from: 'en', to: 'fr', source: 'Parks need trees.', target: 'Les parcs ont besoin d’arbres.' },
]);

describe('translation memory', () => {
  it('normalises case, spaces, apostrophes, quotes and final punctuation only', () => {
    expect(normaliseSentence('  L’école  «ouverte» ! ')).toBe(normaliseSentence("l'école \"ouverte\""));
    expect(normaliseSentence('Il faut des bus')).not.toBe(normaliseSentence('Il faut des vélos'));
  });

  it('finds exact matches per direction, the newest entry winning', () => {
    expect(lookupMemory(mem, 'il faut plus de bus la nuit', 'fr', 'en')).toEqual({ text: 'More night buses are needed!', kind: 'exact' });
    expect(lookupMemory(mem, 'Il faut plus de bus la nuit.', 'en', 'fr')).toBeNull();
    expect(lookupMemory(mem, 'Parks need trees', 'en', 'fr')?.text).toBe('Les parcs ont besoin d’arbres.');
  });

  it('reuses a translation whose only difference is a number, with the new numbers', () => {
    expect(lookupMemory(mem, 'La taxe passe de 4 % à 7,5 %.', 'fr', 'en')).toEqual({ text: 'The tax goes from 4% to 7,5%.', kind: 'numbers' });
    expect(lookupMemory(mem, 'La taxe passe de 4 % à 7 % en 2030.', 'fr', 'en')).toBeNull();
    expect(lookupMemory(mem, 'Il faut plus de trams la nuit.', 'fr', 'en')).toBeNull(); // no fuzzy word matches
  });

  it('sends only what the memory does not know to the translator, in order', async () => {
    const calls: string[][] = [];
    const r = await translateWithMemory(['Parks need trees.', 'Bikes too.', 'Parks need trees'], 'en', 'fr', mem, async (t) => {
      calls.push(t);
      return t.map((x) => `MT(${x})`);
    });
    expect(calls).toEqual([['Bikes too.']]);
    expect(r.output).toEqual(['Les parcs ont besoin d’arbres.', 'MT(Bikes too.)', 'Les parcs ont besoin d’arbres.']);
    expect(r.fromMemory).toEqual([{ index: 0, kind: 'exact' }, { index: 2, kind: 'exact' }]);
    const none = await translateWithMemory(['x'], 'en', 'fr', null, async (t) => t.map(() => 'y'));
    expect(none).toEqual({ output: ['y'], fromMemory: [] });
  });
});
