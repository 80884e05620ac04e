/** Errors that escaped every handler, collected by {@link trackProcessErrors}. */
export interface ProcessErrors {
  /** `unhandledRejection` and `uncaughtException`, in order, as text. */
  readonly list: readonly string[];
  stop(): void;
}

/**
 * Records every unhandled rejection and uncaught exception of this process until `stop()`, so a
 * stress run can assert there were none (vitest would report them too, but not which run they
 * belonged to).
 */
export function trackProcessErrors(): ProcessErrors {
  const list: string[] = [];
  const onRejection = (reason: unknown) => list.push(`unhandledRejection: ${describe(reason)}`);
  const onException = (error: unknown) => list.push(`uncaughtException: ${describe(error)}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    list,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

function describe(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
