/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every
 * line is a HELP, a TYPE or a sample, or the parse fails naming the line.
 * Answers each sample as `name{label="value",...}` (labels sorted) → value.
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Map<string, string>();
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
  const sampleLine = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,(?:${LABEL}))*)?,?\\})?[ ]+(\\S+)(?:[ ]+-?\\d+)?$`);
  const labelPair = new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`, 'g');
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      if (typed.has(type[1])) throw new Error(`line ${i + 1}: second TYPE for ${type[1]}`);
      typed.set(type[1], type[2]);
      return;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line) || (line.startsWith('#') && !line.startsWith('# TYPE') && !line.startsWith('# HELP'))) return;
    const m = sampleLine.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not Prometheus text: ${line}`);
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    if (Number.isNaN(value) && m[3] !== 'NaN') throw new Error(`line ${i + 1}: bad value ${m[3]}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    if (!typed.has(m[1]) && !typed.has(family)) throw new Error(`line ${i + 1}: sample ${m[1]} has no TYPE`);
    const labels = [...(m[2] ?? '').matchAll(labelPair)].map(([, k, v]) => `${k}="${v}"`).sort();
    samples.set(`${m[1]}{${labels.join(',')}}`, value);
  });
  return samples;
}

/** the value of one sample, 0 when absent (a counter not yet incremented) */
export function sample(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  const key = `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')}}`;
  return samples.get(key) ?? 0;
}
