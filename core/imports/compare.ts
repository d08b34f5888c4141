import type { ImportsStore } from '../store/imports-store.js';
import { inSteps, STEP_ROWS, yieldToRequests } from './steps.js';

export interface Comparison {
  added: number;
  updated: number;
  removed: number;
  /** Contacts in the organization's current list. */
  existing: number;
  /** Contacts the import staged. */
  staged: number;
}

/**
 * Records what applying the import would change, in steps of a few thousand keys: first the
 * staged side (added, updated), then the current list (removed). Changes recorded by an
 * earlier, interrupted comparison are dropped first.
 */
export async function compareInSteps(
  store: ImportsStore,
  importId: string,
  organizationId: string,
  signal: AbortSignal,
): Promise<Comparison> {
  await inSteps(() => store.dropChanges(importId, STEP_ROWS));
  const totals = { added: 0, updated: 0, removed: 0 };
  // Counted by the steps themselves: a COUNT over a large list would hold requests up.
  const covered = { staged: 0, current: 0 };
  for (const side of ['staged', 'current'] as const) {
    let after = '';
    for (;;) {
      if (signal.aborted) break;
      const step = store.compareStep(importId, organizationId, side, after, STEP_ROWS);
      if (step.lastKey === null) break;
      totals.added += step.added;
      totals.updated += step.updated;
      totals.removed += step.removed;
      covered[side] += step.covered;
      after = step.lastKey;
      await yieldToRequests();
    }
  }
  return { ...totals, existing: covered.current, staged: covered.staged };
}
