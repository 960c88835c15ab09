/** Runs evals/bench/models.ts without the CLI: npx tsx scripts/models-bench.ts [--data ../shared/data] [--threads 2] [--n 1000] */
import { mkdir, writeFile } from 'node:fs/promises';
import { bench } from '../evals/bench/models.js';

const args: Record<string, string> = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const result = await bench.run(args, (m) => process.stderr.write(`${m}\n`));
console.log(JSON.stringify(result, null, 2));
await mkdir('evals/bench/results', { recursive: true });
await writeFile('evals/bench/results/models.json', JSON.stringify({ date: new Date().toISOString(), command: `npx tsx scripts/models-bench.ts ${process.argv.slice(2).join(' ')}`.trim(), ...result }, null, 2) + '\n');
