import { fileURLToPath } from 'node:url';

/** The repository root, whether this runs from core/ or from the compiled dist/core/. */
export const projectRoot = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url),
);
