import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { sleep } from './free-port.ts';

const bin = resolve(import.meta.dirname, '../bin/oversight.js');
const logLines = 200;

/** The role a child process runs. */
export type Role = 'web' | 'worker';

const alive = (child: ChildProcess | undefined): child is ChildProcess =>
  child !== undefined && child.exitCode === null && child.signalCode === null;

/**
 * One role of the service (`oversight web` or `oversight worker`) as a child process, under a
 * supervisor like systemd or Kubernetes would be: a process that dies when nobody killed it is
 * started again (and counted), so a crash shows in the figures instead of stopping the soak.
 * One process at a time; `stop` ends every process it ever started.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private readonly children = new Set<ChildProcess>();
  private exited: Promise<number | null> = Promise.resolve(null);
  private starting: Promise<void> | null = null;
  private planned = false;
  private stopped = false;
  private readonly log: string[] = [];
  /** When the process exited without being asked to (a crash), each followed by a restart. */
  readonly crashes: number[] = [];

  constructor(
    readonly role: Role,
    private readonly env: Record<string, string>,
  ) {}

  /** Starts the process (unless it runs already) and waits until it says it is serving. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error(`oversight ${this.role} was stopped`));
    if (this.starting) return this.starting;
    if (alive(this.child)) return Promise.resolve();
    this.starting = this.spawn().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** kill -9: the process gets no chance to finish anything. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: active jobs finish, then the process exits. Anything else still running is killed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting?.catch(() => {});
    await this.signal('SIGTERM');
    for (const child of this.children) if (alive(child)) child.kill('SIGKILL');
  }

  /** The last lines the process printed (its logs carry codes and counts, never personal data). */
  tail(lines = 40): string {
    return this.log.slice(-lines).join('\n');
  }

  private async spawn(): Promise<void> {
    this.planned = false;
    const child = spawn(process.execPath, [bin, this.role], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.children.add(child);
    let ready!: () => void;
    let failed!: (error: Error) => void;
    const started = new Promise<void>((res, rej) => {
      ready = res;
      failed = rej;
    });
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        this.log.push(line.slice(0, 500));
        if (this.log.length > logLines) this.log.shift();
        if (/oversight listening on|oversight worker running/.test(line)) ready();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((res) =>
      child.once('exit', (code) => {
        this.children.delete(child);
        failed(new Error(`oversight ${this.role} exited with ${code} before it was ready`));
        res(code);
        this.onExit(child);
      }),
    );
    const timeout = setTimeout(() => failed(new Error(`oversight ${this.role} not ready in 60 s`)), 60_000);
    try {
      await started;
    } finally {
      clearTimeout(timeout);
    }
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!alive(child)) return;
    this.planned = true;
    child.kill(signal);
    const exited = await Promise.race([this.exited, sleep(20_000).then(() => 'timeout' as const)]);
    if (exited === 'timeout') {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  private onExit(child: ChildProcess): void {
    if (this.planned || this.stopped || child !== this.child) return;
    this.crashes.push(Date.now());
    // Restarted like a supervisor would; a failure to start is retried a few times, then left.
    void (async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        await sleep(500);
        if (this.stopped || alive(this.child)) return;
        try {
          await this.start();
          return;
        } catch {
          // try again
        }
      }
    })();
  }
}
