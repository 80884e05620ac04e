/**
 * Prints a stress test's figures as one JSON line, so a run's output can be pasted into
 * RELIABILITY.md or collected with `grep '^{"test"'`.
 *
 * @example
 * printFigure({ test: 'chaos', seed, cuts, reconnects });
 */
export function printFigure(figure: { test: string } & Record<string, unknown>): void {
  console.log(JSON.stringify(figure));
}
