import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config.js';

const HELP = `plenary <command> [options]

  serve [--port N] [--data-dir DIR] [--demo] [--http-workers N] [--trust-proxy]
                                               start the service (API, pages, job runner); N HTTP processes
  eval <suite> --data <dir> [--out f.json]     run an evaluation suite (eval --list lists them)
  bench <name> [options]                       run a benchmark (bench --list)
  tally FILE --method schulze|borda|approval|mj|threshold
                                               count a ballot file (PrefLib, Debian tally sheet, per-grade JSON)
  models list                                  each task's backend, what is installed, what is missing
  models pull <name> --from <url>              download production weights with checksums
  audit verify [--data-dir DIR] [--head FILE]  check the audit log's hash chain (and a saved signed head against it)
  audit head [--data-dir DIR] [--out FILE]     print the chain's newest (seq, hash), signed with the server's key
  audit key [--data-dir DIR]                   print the public key (also at /.well-known/plenary-audit-key)
  worker --remote URL --token T [--assembly ID] [--types a,b] [--once]
                                               run analysis jobs for a Plenary elsewhere (Workers) over its job API
  seed-demo [--data-dir DIR]                   create the demo assembly without starting the server
  export-open-data --assembly SLUG --out F.zip [--data-dir DIR] [--final]
                                               write an assembly's anonymised open-data package (Frictionless)
  import-open-data F.zip [--data-dir DIR]      load a package as a read-only archived assembly

Environment: PORT, PLENARY_DATA_DIR, PLENARY_DEMO=1, PLENARY_MODELS_DIR, LOG_LEVEL (see README).`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, demo: { type: 'boolean' }, host: { type: 'string' }, 'http-workers': { type: 'string' }, 'trust-proxy': { type: 'boolean' } } });
      const config = loadConfig(process.env, { port: values.port, dataDir: values['data-dir'], demo: values.demo, host: values.host, httpWorkers: values['http-workers'], trustProxy: values['trust-proxy'] });
      const { startServer } = await import('./main.node.js');
      await startServer(config);
      return -1; // keep running
    }
    case 'eval': {
      const { runEval } = await import('../evals/run.js');
      return runEval(rest);
    }
    case 'bench': {
      const { runBench } = await import('../evals/run.js');
      return runBench(rest);
    }
    case 'tally': {
      const { tallyCommand } = await import('./cli/tally.js');
      return tallyCommand(rest);
    }
    case 'models': {
      const { modelsCommand } = await import('./cli/models.js');
      return modelsCommand(rest);
    }
    case 'audit': {
      const { auditCommand } = await import('./cli/audit.js');
      return auditCommand(rest);
    }
    case 'worker': {
      const { remoteWorkerCommand } = await import('./cli/remote-worker.js');
      return remoteWorkerCommand(rest);
    }
    case 'seed-demo': {
      const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' } } });
      const config = loadConfig(process.env, { dataDir: values['data-dir'], logLevel: 'warn' });
      const { buildService } = await import('./build.js');
      const { seedDemo } = await import('./seed/demo.js');
      const { deps } = buildService(config);
      const r = await seedDemo(deps);
      process.stdout.write(r.created ? `demo assembly created: ${r.assemblyId}\n` : `demo assembly exists: ${r.assemblyId}\n`);
      await deps.models.close();
      return 0;
    }
    case 'export-open-data': {
      const { exportOpenDataCommand } = await import('./modules/opendata/cli.js');
      return exportOpenDataCommand(rest);
    }
    case 'import-open-data': {
      const { importOpenDataCommand } = await import('./modules/opendata/cli.js');
      return importOpenDataCommand(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP + '\n');
      return cmd ? 0 : 2;
    default:
      process.stderr.write(`Unknown command '${cmd}'.\n\n${HELP}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e) => {
    if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
    else process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  },
);
