/** Word tokenisation and stop words (English and French) shared by TF-IDF, labels and near-duplicate detection. */

const EN = `a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just let me more most my myself no nor not now of
off on once only or other ought our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves s t don doesn didn isn aren wasn
weren won wouldn shouldn couldn can't cannot im ive id youre theyre thats dont doesnt didnt isnt arent wont also
get got one two us may might must shall much many like well even still yet via per etc e g i.e ll re ve d m o y`;

const FR = `au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me même mes moi
mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous
c d j l à m n s t y été étée étées étés étant suis es est sommes êtes sont serai seras sera serons serez seront serais
serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez
soient fusse fusses fût fussions fussiez fussent ayant eu eue eues eus ai as avons avez ont aurai auras aura aurons
aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie aies
ait ayons ayez aient eusse eusses eût eussions eussiez eussent ceci cela celà cet cette ici ils les leurs quel quels
quelle quelles sans soi plus moins très tout tous toute toutes autre autres comme donc alors aussi bien faire fait
peut peuvent doit doivent être avoir si non oui ça car entre chez depuis encore déjà cas lors afin dont sous vers`;

export const STOP_WORDS: ReadonlySet<string> = new Set(`${EN} ${FR}`.split(/\s+/).filter(Boolean));

const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;

/**
 * Lower-cased word tokens. French elisions (l', d', qu') are split off; tokens of one character,
 * pure numbers and stop words are dropped when `dropStopWords` (default true).
 */
export function tokenize(text: string, dropStopWords = true): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) {
    let w = m[0].replace(/’/g, "'");
    const el = /^(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'(.+)$/u.exec(w);
    if (el) w = el[2];
    if (w.endsWith("'s")) w = w.slice(0, -2);
    if (dropStopWords) {
      if (w.length < 2 || STOP_WORDS.has(w) || /^\p{N}+$/u.test(w)) continue;
      w = plural(w);
    }
    out.push(w);
  }
  return out;
}

/** Light plural folding for English and French (lanes → lane, arbres → arbre, buses → bus); nothing else. */
export function plural(w: string): string {
  if (w.length <= 3) return w;
  if (/(ss|us|is|ys|as|os)$/u.test(w)) return w;
  if (/[^aeiou]ies$/u.test(w)) return w.slice(0, -3) + 'y';
  if (/(ses|xes|zes|ches|shes)$/u.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}
