import { fileURLToPath } from 'node:url';

/** Screenshots of every state the e2e tests reach (git-ignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('./artifacts/', import.meta.url));
