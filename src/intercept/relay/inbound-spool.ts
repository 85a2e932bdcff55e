import { Injectable } from '@nestjs/common';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '@maskline/config';

/** What an inbound webhook carried, as the routing job takes it. */
export interface SpooledInbound {
  messageSid: string;
  data: unknown;
}

const SUFFIX = '.json';
// MessageSids are SM/MM + hex; anything else never names a file
const SAFE_SID = /^[A-Za-z0-9]{2,64}$/;

/** `DATA_DIR/inbound-spool`; an in-memory deployment (tests) spools under the temp folder, per Redis prefix. */
export function inboundSpoolDir(config: AppConfig): string {
  const dataDir = config.store.dataDir;
  if (dataDir.startsWith('memory://')) return join(tmpdir(), 'maskline-inbound-spool', config.redis.prefix);
  return join(dataDir, 'inbound-spool');
}

/**
 * Inbound texts Redis could not take in time, on local disk: one file per
 * MessageSid, written to a temporary name, flushed, then renamed, so a file
 * that exists is whole and a redelivered webhook overwrites rather than adds.
 * Twilio never retries an inbound-SMS webhook that failed, so this, not a
 * 503, is what keeps a text when Redis is away.
 */
@Injectable()
export class InboundSpool {
  readonly dir: string;

  constructor(config: AppConfig) {
    this.dir = inboundSpoolDir(config);
  }

  async keep(messageSid: string, data: unknown): Promise<void> {
    if (!SAFE_SID.test(messageSid)) throw new Error(`MessageSid ${JSON.stringify(messageSid)} cannot name a spool file`);
    await mkdir(this.dir, { recursive: true });
    const final = join(this.dir, messageSid + SUFFIX);
    const temporary = `${final}.${process.pid}.tmp`;
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(JSON.stringify({ messageSid, data } satisfies SpooledInbound));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, final);
  }

  /** the MessageSids waiting, oldest file name order is not promised */
  async waiting(): Promise<string[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names.filter((n) => n.endsWith(SUFFIX)).map((n) => n.slice(0, -SUFFIX.length));
  }

  /** null when another process replayed it meanwhile, or the file is unreadable (then set aside as `.bad`) */
  async read(messageSid: string): Promise<SpooledInbound | null> {
    const path = join(this.dir, messageSid + SUFFIX);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text) as SpooledInbound;
    } catch {
      await rename(path, `${path}.bad`).catch(() => undefined);
      return null;
    }
  }

  async remove(messageSid: string): Promise<void> {
    await unlink(join(this.dir, messageSid + SUFFIX)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
