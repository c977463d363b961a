import type { Worker } from 'bullmq';
import type { App } from '../src/app.ts';
import type { connectRedis } from '../src/redis.ts';

/** A processor module: starts the worker(s) of one queue on the given connection. */
export type ProcessorFactory = (
  app: App,
  connection: ReturnType<typeof connectRedis>,
) => Worker[] | Promise<Worker[]>;
