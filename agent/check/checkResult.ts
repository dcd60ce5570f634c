/**
 * What one check of `sluice-agent --check-config` found about one component: `ok`, `warn` (works, but
 * probably not what was meant) or `fail` (the agent would not do its job), and why, in words.
 */
export interface CheckResult {
  component: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

const LABEL: Record<CheckResult['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/** One line per component, the labels aligned so a FAIL stands out. */
export function formatCheck(result: CheckResult): string {
  return `  ${LABEL[result.status]}  ${result.component}: ${result.detail}`;
}
