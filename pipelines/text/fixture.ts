/** Loads fixtures/text-map/contributions.json for tests and the bench (not part of the pipeline API). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FixtureContribution {
  id: string;
  topic: string;
  lang: string;
  text: string;
  en?: string;
}

export function loadTextMapFixture(): { contributions: FixtureContribution[]; translations: Record<string, string> } {
  const file = fileURLToPath(new URL('../../fixtures/text-map/contributions.json', import.meta.url));
  const fx = JSON.parse(readFileSync(file, 'utf8')) as { contributions: FixtureContribution[] };
  const translations = Object.fromEntries(fx.contributions.filter((c) => c.en).map((c) => [c.text, c.en!]));
  return { contributions: fx.contributions, translations };
}
