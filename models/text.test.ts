import { describe, expect, it } from 'vitest';
import { splitSentences } from './text.js';
import { protectSpans, restoreSpans } from './offline/apertium.js';

describe('splitSentences', () => {
  it.each([
    ['One. Two! Three?', ['One.', 'Two!', 'Three?']],
    ['Vraiment ? Oui. Bien sûr !', ['Vraiment ?', 'Oui.', 'Bien sûr !']],
    ['M. Dupont est là. Dr. Smith too.', ['M. Dupont est là.', 'Dr. Smith too.']],
    ['It costs 3.5 euros. See www.example.org today.', ['It costs 3.5 euros.', 'See www.example.org today.']],
    ['Line one\nLine two. Three', ['Line one', 'Line two.', 'Three']],
    ['Tell me. It is art. Then go.', ['Tell me.', 'It is art.', 'Then go.']],
    ['A b c. D e f.', ['A b c.', 'D e f.']],
    ['He said "Stop." Then he left.', ['He said "Stop."', 'Then he left.']],
    ['  ', []],
    ['J. R. R. Tolkien wrote it. The U.S. agreed.', ['J. R. R. Tolkien wrote it.', 'The U.S. agreed.']],
  ])('%s', (input, expected) => {
    expect(splitSentences(input)).toEqual(expected);
  });
});

describe('protected spans', () => {
  it('masks URLs, e-mails, mentions, numbers and names, and restores them', () => {
    const text = 'Ask Claire Dubois (claire@x.fr) or @bob: https://a.example/p?q=1, 3 500 people, 25 %.';
    const { masked, spans } = protectSpans(text, ['Claire Dubois']);
    expect(spans).toEqual(['Claire Dubois', 'claire@x.fr', '@bob', 'https://a.example/p?q=1', '3 500', '25 %']);
    expect(masked).not.toMatch(/Claire|claire|@bob|https|3 500/);
    expect(restoreSpans(masked, spans)).toBe(text);
    expect(restoreSpans('zqx0z and ZQX9Z', ['A'])).toBe('A and ZQX9Z');
  });
});
