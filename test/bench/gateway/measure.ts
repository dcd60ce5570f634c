/** CPU accounting of a benchmark phase: the gateway processes', the broker's and this process's. */
import { cpuSeconds, treeCpuSeconds } from './gatewayProcess.ts';
import { kafkaBrokerPid } from './kafka.ts';
import type { PhaseResult } from './load.ts';
import type { CpuShare } from './report.ts';

/**
 * Runs a phase and measures the CPU the gateway(s) (each with its gateway processes), the broker and this
 * process used during it.
 */
export async function measured(
  gatewayPids: number[],
  run: () => Promise<PhaseResult>,
): Promise<{ result: PhaseResult; cpu: CpuShare }> {
  const gatewayCpu = () => gatewayPids.reduce((sum, pid) => sum + treeCpuSeconds(pid), 0);
  const brokerPid = kafkaBrokerPid();
  const g0 = gatewayCpu();
  const b0 = brokerPid === null ? 0 : cpuSeconds(brokerPid);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await run();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return {
    result,
    cpu: {
      gateway: (gatewayCpu() - g0) / wall,
      broker: brokerPid === null ? null : (cpuSeconds(brokerPid) - b0) / wall,
      bench: (c.user + c.system) / 1e6 / wall,
    },
  };
}
