import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * A newcomer's `npm ci` is clean: every dependency with an install script is declared in package.json's
 * `allowScripts` (true = its script must run, false = deliberately skipped), as npm 11 asks, and .npmrc holds only
 * settings npm knows (project-specific keys there "will stop working in the next major version of npm").
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('dependency install scripts', () => {
  it('every package with an install script in the lock file, and the whisper binding setup.sh adds, is declared in allowScripts', () => {
    const withScripts = new Set(Object.entries(lock.packages).filter(([p, v]) => p && v.hasInstallScript).map(([p]) => nameOf(p)));
    const setup = readFileSync('scripts/setup.sh', 'utf8');
    for (const m of setup.matchAll(/npm install --no-save[^\n]*?\s(@?[\w./-]+)@[\d.]+/g)) withScripts.add(m[1]);
    expect(withScripts.has('better-sqlite3') && withScripts.has('@fugood/whisper.node')).toBe(true);
    const declared = pkg.allowScripts ?? {};
    expect([...withScripts].filter((n) => !(n in declared))).toEqual([]);
    // the native SQLite binding is built or fetched by its script: it must run
    expect(declared['better-sqlite3']).toBe(true);
  });

  it('.npmrc has no setting npm does not know', () => {
    const npm = spawnSync('npm', ['config', 'ls'], { encoding: 'utf8' });
    if (npm.error) return; // no npm on this machine: nothing to check
    expect(npm.stderr).not.toMatch(/Unknown (project|user|builtin|global|env) config/);
    expect(execFileSync('npm', ['--version'], { encoding: 'utf8' })).toMatch(/^\d+\./);
  });
});
