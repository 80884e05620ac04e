import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { DedupeEntry } from './createOutboxLog.js';
import type { JobRecord } from './JobRecord.js';

/** What the state file holds. */
export interface PersistedState {
  /** Format version, bumped on incompatible changes (2: the dedupe log keeps ids, not payloads). */
  version: 2;
  /** Every job kept, with its snapshot and the step to resume at. */
  jobs: JobRecord[];
  /** Outbound message ids already applied, with their expiry: the dedupe log. */
  dedupe: DedupeEntry[];
}

/** Reads and writes a {@link PersistedState} file. */
export interface StateStore {
  /** The saved state, or `undefined` when the file does not exist yet. */
  load(): PersistedState | undefined;
  /** Replaces the file's content with `state`, synchronously. */
  save(state: Omit<PersistedState, 'version'>): void;
}

/**
 * A JSON state file for the reference server, so a test can kill it (even with SIGKILL) and
 * start another on the same file. Writes are synchronous and go through a temporary file and a
 * rename, which is atomic on POSIX: a kill mid-write leaves the previous state, never half a file.
 *
 * @example
 * const store = createStateStore('/tmp/jobstream-state.json');
 * const state = store.load();
 */
export function createStateStore(path: string): StateStore {
  const temporary = `${path}.${process.pid}.tmp`;
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      // A file that is not ours should stop the server, not be silently overwritten.
      const state = JSON.parse(text) as Partial<PersistedState>;
      if (state.version !== 2 || !Array.isArray(state.jobs) || !Array.isArray(state.dedupe)) {
        throw new Error(`${path} is not a jobstream state file (version 2); delete it or pick another stateFile.`);
      }
      return state as PersistedState;
    },
    save({ jobs, dedupe }) {
      writeFileSync(temporary, JSON.stringify({ version: 2, jobs, dedupe } satisfies PersistedState));
      renameSync(temporary, path);
    },
  };
}
