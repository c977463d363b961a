import { syncDigestSchedulers } from '../digests/index.ts';
import type { ReconcileDeps, ReconcileHooks } from './reconcile.ts';

/**
 * The parts of the derived schedule that other modules own, for the reconciler (worker loop and
 * `oversight reconcile`): each team's digest job scheduler, from the teams table.
 */
export function reconcileHooks(deps: ReconcileDeps): ReconcileHooks {
  return {
    syncDigestSchedules: async () => (await syncDigestSchedulers(deps.db, deps.queues)).upserted.length,
  };
}
