import { runCli } from '../test/support/cli.ts';
import type { TcpProxy } from '../test/support/tcp-proxy.ts';
import type { ChaosProxy } from './chaos-proxy.ts';
import { sleep } from './free-port.ts';
import type { PrivateRedis } from './redis-server.ts';
import type { ServiceProcess } from './service.ts';

/** Faults injected, and what it took to come back from each. */
export type FaultStats = {
  storms: number;
  workerKills: number;
  redisRestarts: number;
  postgresCuts: number;
  /** Jobs `oversight reconcile` restored after each Redis restart (the worker's own loop may beat it). */
  reconcileRestored: number[];
  /** Faults the service did not come back from (a process that would not start, reconcile failing). */
  notSurvived: string[];
  /** When each fault that can interrupt a send between the platform call and its record began and ended. */
  windows: FaultWindow[];
};

/**
 * A fault, from when it began to when it was over, and for how long after that work it cut short
 * may still be redone (a dead worker's jobs are retaken when its locks expire; jobs Redis lost are
 * re-added by the next reconcile; failed sends are retried after a backoff).
 */
export type FaultWindow = { what: string; from: number; to: number; recoveryMs: number };

/** Counters at zero. */
export function newFaultStats(): FaultStats {
  return {
    storms: 0,
    workerKills: 0,
    redisRestarts: 0,
    postgresCuts: 0,
    reconcileRestored: [],
    notSurvived: [],
    windows: [],
  };
}

/** What the faults are done to. */
export type FaultTargets = {
  worker: ServiceProcess;
  redis: PrivateRedis;
  postgres: TcpProxy;
  platforms: ChaosProxy[];
  /** The environment `oversight reconcile` runs with (the service's own). */
  cliEnv: Record<string, string>;
  /** How long after each kind of fault cut-short work may still be redone (see FaultWindow). */
  recoveryMs: { worker: number; redis: number; postgres: number };
};

type Fault = { at: number; run: () => Promise<void> };

/**
 * Plays the fault schedule over `loadMs`, in cycles of at most a minute (a short run gets one
 * compressed cycle): a 429/500 storm from the chat platforms, kill -9 of the worker, Redis killed
 * and restarted empty, Postgres connections cut for a few seconds, the worker killed again.
 * Faults run one after another; the storm runs in the background.
 */
export async function runFaults(targets: FaultTargets, loadMs: number, stats: FaultStats): Promise<void> {
  const started = Date.now();
  const cycle = Math.min(60_000, loadMs);
  const faults: Fault[] = [];
  for (let offset = 0; offset + cycle <= loadMs + 1; offset += cycle) {
    faults.push(
      { at: offset + 0.08 * cycle, run: () => storm(targets, Math.max(3000, 0.25 * cycle), stats) },
      { at: offset + 0.2 * cycle, run: () => killWorker(targets, stats) },
      { at: offset + 0.42 * cycle, run: () => restartRedis(targets, stats) },
      { at: offset + 0.62 * cycle, run: () => cutPostgres(targets, Math.max(2000, 0.06 * cycle), stats) },
      { at: offset + 0.85 * cycle, run: () => killWorker(targets, stats) },
    );
  }
  for (const fault of faults) {
    const wait = started + fault.at - Date.now();
    if (wait > 0) await sleep(wait);
    await fault.run();
  }
}

async function storm(targets: FaultTargets, ms: number, stats: FaultStats): Promise<void> {
  stats.storms += 1;
  for (const p of targets.platforms) {
    p.startStorm(ms, { ratelimitedShare: 0.35, serverErrorShare: 0.15, retryAfterSeconds: 1 });
  }
}

async function killWorker(targets: FaultTargets, stats: FaultStats): Promise<void> {
  stats.workerKills += 1;
  const from = Date.now();
  await targets.worker.kill9();
  await sleep(1000);
  await targets.worker
    .start()
    .catch((error: Error) => stats.notSurvived.push(`worker restart: ${error.message}`));
  stats.windows.push({ what: 'worker kill -9', from, to: Date.now(), recoveryMs: targets.recoveryMs.worker });
}

async function restartRedis(targets: FaultTargets, stats: FaultStats): Promise<void> {
  stats.redisRestarts += 1;
  const from = Date.now();
  await targets.redis.restartEmpty(1000);
  // What an operator does after losing Redis (the worker's periodic reconcile would do it too).
  const result = await runCli(['reconcile'], targets.cliEnv);
  const restored = /restored (\d+) jobs/.exec(result.stdout);
  if (result.code !== 0 || !restored) stats.notSurvived.push(`oversight reconcile exited ${result.code}`);
  else stats.reconcileRestored.push(Number(restored[1]));
  stats.windows.push({ what: 'Redis restart', from, to: Date.now(), recoveryMs: targets.recoveryMs.redis });
}

async function cutPostgres(targets: FaultTargets, ms: number, stats: FaultStats): Promise<void> {
  stats.postgresCuts += 1;
  const from = Date.now();
  await targets.postgres.stop();
  await sleep(ms);
  await targets.postgres.start();
  stats.windows.push({ what: 'Postgres cut', from, to: Date.now(), recoveryMs: targets.recoveryMs.postgres });
}
