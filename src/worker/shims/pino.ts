/** pino for the Workers bundle: JSON lines on the console (Workers Logs collects them), same levels and child(). */
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
type Level = keyof typeof LEVELS;

function make(level: Level, bindings: Record<string, unknown>): any {
  const min = LEVELS[level] ?? 30;
  const at = (l: Exclude<Level, 'silent'>) => (obj: unknown, msg?: string) => {
    if (LEVELS[l] < min) return;
    const o = typeof obj === 'string' ? { msg: obj } : { ...(obj as object), msg };
    const line = JSON.stringify({ level: l, time: Date.now(), ...bindings, ...o }, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v));
    (l === 'error' || l === 'fatal' ? console.error : console.log)(line);
  };
  return { level, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), silent() {}, child: (b: Record<string, unknown>) => make(level, { ...bindings, ...b }), isLevelEnabled: (l: Level) => LEVELS[l] >= min };
}

export default function pino(opts: { level?: string; base?: Record<string, unknown> } = {}) {
  return make((opts.level as Level) ?? 'info', opts.base ?? {});
}
export type Logger = ReturnType<typeof make>;
