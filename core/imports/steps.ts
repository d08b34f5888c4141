import { setImmediate as nextTurn } from 'node:timers/promises';

/** Rows one step of store work touches: a few milliseconds, so requests wait no longer. */
export const STEP_ROWS = 2000;

/**
 * Repeats `step` until it does nothing more (returns 0), letting the event loop serve other
 * requests between steps: SQLite calls block the process while they run.
 */
export async function inSteps(step: () => number, signal?: AbortSignal): Promise<void> {
  while (step() > 0) {
    if (signal?.aborted) return;
    await nextTurn();
  }
}

/** Lets pending I/O (sign-ins, queries) run before more import work. */
export function yieldToRequests(): Promise<void> {
  return nextTurn();
}
