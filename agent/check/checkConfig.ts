import type { AgentConfig } from '../config/schema.ts';
import type { InputKind } from '../inputs/inputKind.ts';
import { kindOf } from '../inputs/table.ts';
import { type CheckResult, formatCheck } from './checkResult.ts';
import { checkGateway } from './gatewayCheck.ts';
import { checkStateDir } from './stateDirCheck.ts';

/**
 * `sluice-agent --check-config` past the file itself (like `vector validate`): the gateway takes this
 * agent's batches, state_dir is writable, and each input's own check (what its paths match now, whether its port is free,
 * whether journalctl runs). The checks run at once;
 * the report keeps the config's order.
 */
export async function checkAgentEnvironment(config: AgentConfig): Promise<CheckResult[]> {
  return Promise.all([
    checkGateway(config.gateway),
    checkStateDir(config.state_dir),
    ...config.inputs.map((input, i) => (kindOf(input.type) as InputKind).check(input, i)),
  ]);
}

/** The report: the file's verdict, one line per component, and the count of failures if any. */
export function formatReport(path: string, results: readonly CheckResult[]): string {
  const failed = results.filter((r) => r.status === 'fail').length;
  return [
    `${path}: valid`,
    ...results.map(formatCheck),
    failed === 0 ? `${path}: OK` : `${path}: ${failed} check${failed === 1 ? '' : 's'} failed`,
  ].join('\n');
}
