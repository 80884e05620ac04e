/** An error as a debug entry shows it: `Name: message`, or the value as a string. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
