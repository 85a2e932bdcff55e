import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../support/free-port';
import { OwnedProcess } from '../../resilience/support/processes';

const run = promisify(execFile);

/** redis-server processes of the test's own (ports, files), stopped and removed together. */
export class RedisTopology {
  private readonly processes: OwnedProcess[] = [];

  private constructor(readonly dir: string) {}

  static async create(): Promise<RedisTopology> {
    return new RedisTopology(await mkdtemp(join(tmpdir(), 'maskline-redis-modes-')));
  }

  /** a redis-server on a free port with these extra arguments, once it accepts connections */
  async server(name: string, args: (port: number) => string[]): Promise<{ port: number; process: OwnedProcess }> {
    const port = await freePort();
    const child = spawn('redis-server', ['--bind', '127.0.0.1', '--save', '', '--dir', this.dir, ...args(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const process = new OwnedProcess(name, child);
    this.processes.push(process);
    await process.ready('Ready to accept connections', 30_000);
    return { port, process };
  }

  /** a Sentinel watching `primaryPort` as "mymaster": quorum 1, a primary is down after 1 s */
  async sentinel(primaryPort: number): Promise<{ port: number; process: OwnedProcess }> {
    const port = await freePort();
    const file = join(this.dir, `sentinel-${port}.conf`);
    await writeFile(
      file,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `sentinel monitor mymaster 127.0.0.1 ${primaryPort} 1`,
        'sentinel down-after-milliseconds mymaster 1000',
        'sentinel failover-timeout mymaster 5000',
        'sentinel parallel-syncs mymaster 1',
      ].join('\n') + '\n',
    );
    const child = spawn('redis-server', [file, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const process = new OwnedProcess('sentinel', child);
    this.processes.push(process);
    await process.ready('+monitor master mymaster', 30_000);
    return { port, process };
  }

  /** a CA and a certificate for 127.0.0.1 signed by it, made with openssl */
  async certificates(): Promise<{ ca: string; cert: string; key: string }> {
    const at = (name: string) => join(this.dir, name);
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.crt'), '-days', '1', '-subj', '/CN=Maskline test CA']);
    await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1']);
    await writeFile(at('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    await run('openssl', ['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.crt'), '-days', '1', '-extfile', at('san.ext')]);
    return { ca: at('ca.crt'), cert: at('server.crt'), key: at('server.key') };
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill('SIGKILL')));
    await rm(this.dir, { recursive: true, force: true });
  }
}
