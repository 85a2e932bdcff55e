import { spawn } from 'node:child_process';
import { join } from 'node:path';

jest.setTimeout(180_000);

/** `npm run demo [-- --proxy]` in its own process, as a newcomer runs it: its exit code and transcript. */
async function runDemo(...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn('npm', ['run', '--silent', 'demo', ...(args.length ? ['--', ...args] : [])], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, out };
}

const PREFIXED_TO_SITTER = /relayed: pool \+1720\d{7} \(\+1720\d{7}\) -> Sam Sitter's phone \(\+19705550101\): "\[Ann Lee\]: Hi Sam, is Rex eating well\?"/;
const REPLY_TO_ANN = /relayed: Sam Sitter's masked number \(\+1303\d{7}\) -> Ann Lee \(\+17195550111\): "He is! Long walk this morning too\."/;

/** `npm run demo` on the embedded defaults, in both relay modes. */
describe('npm run demo', () => {
  it('exits 0 and its transcript shows the prefixed text, the reply, the second thread, the alert and the outreach conversation', async () => {
    const { code, out } = await runDemo();
    expect({ code, out }).toMatchObject({ code: 0 });
    expect(out).toContain('Relay mode: messaging');
    expect(out).toMatch(PREFIXED_TO_SITTER);
    expect(out).toMatch(REPLY_TO_ANN);
    expect(out).toContain("different thread from Ann's: yes");
    expect(out).toMatch(/-> Sam Sitter's phone \(\+19705550101\): ".*not delivered.*30007/);
    expect(out).toMatch(/conversation [0-9a-f-]{36} \(created\), Twilio CH[0-9a-f]{32}/);
    expect(out).toContain('Demo finished: every step happened.');
  });

  it('-- --proxy tells the same story over a Proxy service', async () => {
    const { code, out } = await runDemo('--proxy');
    expect({ code, out }).toMatchObject({ code: 0 });
    expect(out).toContain('Relay mode: proxy');
    expect(out).toMatch(PREFIXED_TO_SITTER);
    expect(out).toMatch(REPLY_TO_ANN);
    expect(out).toContain("different thread from Ann's: yes");
    expect(out).toContain('Demo finished: every step happened.');
  });
});
