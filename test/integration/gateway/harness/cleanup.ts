/**
 * Runs every clean-up step even when an earlier one fails (a private broker or a child process must never
 * outlive its test), then reports the first failure.
 */
export async function cleanUp(...steps: Array<() => unknown>): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
