import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';

/**
 * One owner of the embedded database at a time. Two processes that each open the PGlite files get
 * their own copy, and the later close overwrites the other's writes. The owner holds a lock file in
 * the data directory (created atomically, with its pid); while the service runs it serves its PGlite
 * over a local socket, and every other process connects through that instead of opening the files.
 */

/** Where a running service serves its embedded database. */
export type SocketAddress = { path: string } | { host: string; port: number };

/** The content of the lock file: who owns the embedded database and how to reach it. */
export type Owner = {
  pid: number;
  role: 'service' | 'command';
  /** Present once a service is serving its database. */
  socket?: SocketAddress;
};

/** Raised when the embedded database is owned by a process that this one may not share it with. */
export class EmbeddedDatabaseBusy extends Error {
  override name = 'EmbeddedDatabaseBusy';
}

const lockFile = (dataDir: string) => resolve(dataDir, 'owner.lock');

/** Reads the lock file; undefined when there is none (or it is unreadable, e.g. truncated by a crash). */
export function readOwner(dataDir: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as Owner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** True while a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock for this process, or returns the live owner that holds it. A lock whose pid is
 * dead (the owner crashed) is stale and taken over. The file is written whole and then linked into
 * place, so another process never reads a half-written lock and two creators cannot both win.
 */
export function claim(
  dataDir: string,
  role: Owner['role'],
): { claimed: true } | { claimed: false; owner: Owner } {
  mkdirSync(dataDir, { recursive: true });
  const path = lockFile(dataDir);
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, JSON.stringify({ pid: process.pid, role } satisfies Owner));
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(mine, path);
        return { claimed: true };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(dataDir);
      if (owner && isAlive(owner.pid)) return { claimed: false, owner };
      // Stale (or unreadable): take it over, unless someone else did in the meantime.
      const now = readOwner(dataDir);
      if (now?.pid === owner?.pid) rmSync(path, { force: true });
    }
    throw new EmbeddedDatabaseBusy(
      `could not take the lock ${path}; delete it if no oversight process is running`,
    );
  } finally {
    rmSync(mine, { force: true });
  }
}

/** Replaces the lock's content (only its owner does this), atomically. */
export function updateOwner(dataDir: string, owner: Owner): void {
  const path = lockFile(dataDir);
  const tmp = `${path}.${process.pid}.new`;
  writeFileSync(tmp, JSON.stringify(owner));
  renameSync(tmp, path);
}

/** Removes the lock if this process holds it. */
export function release(dataDir: string): void {
  if (readOwner(dataDir)?.pid === process.pid) rmSync(lockFile(dataDir), { force: true });
}

/**
 * Serialises whole units of work of the socket's clients on the one PGlite session. pglite-socket's
 * own queue takes turns per protocol message and keeps a client's turn only inside an explicit
 * transaction, so another client's unnamed Parse could land between a client's Parse and its Bind.
 * Here a client keeps the session from its first message until a Sync or simple Query leaves the
 * session idle (no transaction open), and the others wait.
 */
class SessionQueue {
  private waiting: Array<{
    handlerId: number;
    message: Uint8Array;
    onData: (data: Uint8Array) => void;
    resolve: (size: number) => void;
    reject: (error: Error) => void;
  }> = [];
  private holder: number | undefined;
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index =
          this.holder === undefined ? 0 : this.waiting.findIndex((q) => q.handlerId === this.holder);
        if (index < 0 || this.waiting.length === 0) break;
        const [query] = this.waiting.splice(index, 1);
        if (!query) break;
        this.holder = query.handlerId;
        let size = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(query.message, {
              onRawData: (data) => {
                size += data.length;
                query.onData(data);
              },
            }),
          );
          query.resolve(size);
        } catch (error) {
          query.reject(error as Error);
        }
        if (endsUnitOfWork(query.message) && !this.db.isInTransaction()) this.holder = undefined;
      }
    } finally {
      this.running = false;
    }
  }

  clearQueueForHandler(handlerId: number): void {
    this.waiting = this.waiting.filter((q) => {
      if (q.handlerId !== handlerId) return true;
      q.reject(new Error('client disconnected'));
      return false;
    });
  }

  /** A client gone mid-work: end its unfinished extended-protocol exchange and roll its transaction back. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.holder !== handlerId) return;
    await this.db.runExclusive(() => this.db.execProtocolRaw(syncMessage));
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.holder = undefined;
    await this.pump();
  }
}

const syncMessage = new Uint8Array([0x53, 0, 0, 0, 4]);

/** Sync ('S'), simple Query ('Q'), Terminate ('X') and the startup packet (no type byte) end a client's turn. */
function endsUnitOfWork(message: Uint8Array): boolean {
  const type = message[0];
  return type === 0x53 || type === 0x51 || type === 0x58 || type === 0;
}

/** A socket server over one PGlite instance, for this process and the CLI commands run beside it. */
export type EmbeddedServer = { address: SocketAddress; close(): Promise<void> };

/** Serves `db` on a Unix socket in the data directory (or a loopback port when that path is too long). */
export async function serveEmbedded(db: PGlite, dataDir: string): Promise<EmbeddedServer> {
  const sessions = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server: Server = createServer((socket) => {
    const handler = new PGLiteSocketHandler({
      queryQueue: sessions as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    handler.addEventListener('error', () => handlers.delete(handler));
    handler.attach(socket).catch(() => socket.destroy());
  });
  const path = resolve(dataDir, 'db.sock');
  // Unix socket paths are limited to about 104 bytes.
  const useUnixSocket = Buffer.byteLength(path) < 100 && process.platform !== 'win32';
  if (useUnixSocket) {
    // Left behind by a crashed owner; this process holds the lock, so nobody else is listening.
    rmSync(path, { force: true });
  }
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    if (useUnixSocket) server.listen(path, done);
    else server.listen(0, '127.0.0.1', done);
  });
  const bound = server.address();
  const address: SocketAddress =
    useUnixSocket || !bound || typeof bound === 'string' ? { path } : { host: '127.0.0.1', port: bound.port };
  return {
    address,
    async close() {
      await Promise.all([...handlers].map((h) => h.detach(true)));
      await new Promise<void>((done) => server.close(() => done()));
      if (useUnixSocket) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone.
        }
      }
    },
  };
}
