export { runActionTimer } from './action-timer.ts';
export { ensureJobs } from './ensure-jobs.ts';
export { reconcileHooks } from './hooks.ts';
export { addTimers, deliveryJob, timerJob } from './jobs.ts';
export type { TimerOutcome } from './outcome.ts';
export * from './plan.ts';
export {
  describeReport,
  type ReconcileDeps,
  type ReconcileHooks,
  type ReconcileReport,
  reconcile,
  restoredTotal,
} from './reconcile.ts';
export { type ReconcileLoop, startReconcileLoop } from './reconcile-loop.ts';
export { runRequestTimer } from './request-timer.ts';
