import type { StorageProblem } from './StorageProblem.js';

/**
 * Wraps `onProblem` so each kind is reported once: a full quota fails every write, and a log line
 * per enqueue would drown the one that matters. A throwing callback cannot break the queue.
 */
export function reportOnce(onProblem?: (problem: StorageProblem) => void): (problem: StorageProblem) => void {
  const reported = new Set<StorageProblem['kind']>();
  return (problem) => {
    if (reported.has(problem.kind)) return;
    reported.add(problem.kind);
    try {
      onProblem?.(problem);
    } catch {
      // A logging callback that throws must not turn storage trouble into lost messages.
    }
  };
}
