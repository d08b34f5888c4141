import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Nice value of an import's worker threads: below sign-ins, above nothing that matters. */
const IMPORT_NICE = 10;

/**
 * Lets the kernel run the gateway's main thread (sign-ins, queries) before this worker thread
 * when both want a core. Linux schedules threads one by one and gives each its own nice value;
 * /proc/thread-self names this thread's id. Elsewhere, or when refused, nothing changes.
 */
export function yieldCoresToRequests(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return;
    // Never raised: a gateway started with a lower priority keeps it.
    setPriority(threadId, Math.max(getPriority(threadId), IMPORT_NICE));
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
}
