import { parseArgs } from 'node:util';
import { listModels, pullModel, speechCoverage } from '../../models/cli.js';
import { table } from '../../evals/run.js';
import { loadConfig } from '../config.js';
import { modelsFor } from '../build.js';

/** `plenary models list | pull <name> --from <url>` */
export async function modelsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { from: { type: 'string' }, 'models-dir': { type: 'string' }, json: { type: 'boolean' } } });
  const config = loadConfig(process.env, { modelsDir: values['models-dir'] });
  const [sub, name] = positionals;
  if (sub === 'list') {
    const registry = modelsFor(config);
    const rows = await listModels(registry);
    const tools = await registry.tools();
    const speech = speechCoverage(await registry.status(), config.languages);
    if (values.json) process.stdout.write(JSON.stringify({ modelsDir: config.modelsDir, rows, tools, speech }, null, 2) + '\n');
    else {
      process.stdout.write(`models directory: ${config.modelsDir}\n\n`);
      process.stdout.write(
        table(
          rows.map((r) => ({
            task: r.task,
            backend: r.backend,
            model: r.modelId,
            tier: r.tier,
            installed: r.installed.join(', '),
            languages: r.languages ? r.languages.slice(0, 8).join(', ') + (r.languages.length > 8 ? ` (+${r.languages.length - 8})` : '') : '',
            'not in use (why)': r.notUsed.map((n) => `${n.backend}: ${n.reason}`).join('; '),
          })),
        ) + '\n\n',
      );
      process.stdout.write(
        `speech recognition: ${speech.languages.length ? speech.languages.join(', ') : 'none'}` +
          (speech.without.length ? ` — NONE for ${speech.without.join(', ')}. ${speech.fix}` : ` — covers ${config.languages.join(', ')}`) +
          '\n\n',
      );
      process.stdout.write(table(tools.map((t) => ({ tool: t.name, available: t.available ? 'yes' : 'NO', version: t.version ?? '', fix: t.available ? '' : t.fix ?? '' }))) + '\n');
    }
    await registry.close();
    return 0;
  }
  if (sub === 'pull') {
    if (!name || !values.from) {
      process.stderr.write('usage: plenary models pull <name> --from <base-url> [--models-dir DIR]\n');
      return 2;
    }
    const r = await pullModel(name, { baseUrl: values.from, modelsDir: config.modelsDir });
    process.stdout.write(`pulled ${r.id} into ${r.dir} (${r.files.length} files, checksums verified)\n`);
    return 0;
  }
  process.stderr.write('usage: plenary models list | plenary models pull <name> --from <url>\n');
  return 2;
}
