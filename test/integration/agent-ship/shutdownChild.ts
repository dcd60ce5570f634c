/**
 * Child process of shutdown.test.ts: an agent-like process that ships events and, on SIGTERM, closes
 * the shipper with a deadline and then simply returns, so the process exits only if close() left
 * nothing running (no timer, socket or file handle).
 * Usage: node shutdownChild.ts <gatewayUrl> <stateDir> <deadlineMs>
 */
import { createShipper } from '../../../agent/ship/shipper.ts';
import { makeRecords, testConfig } from './records.ts';

const [url, stateDir, deadline] = process.argv.slice(2);
let acked = 0;
const shipper = await createShipper(testConfig(url, stateDir, { batch: { max_events: 20 } }), {
  onAcked: (ranges) => {
    acked += ranges.length;
  },
});
await shipper.add(makeRecords(['a', 'b'], 50));
process.once('SIGTERM', () => {
  void shipper.close(Number(deadline)).then((report) => {
    process.stdout.write(`${JSON.stringify({ report, acked })}\n`);
  });
});
process.stdout.write('ready\n');
