import { engineSettings, isolate, requireEngines } from '../../../../test/helpers/engines.ts';
import type { ContractFixture } from '../../descriptor.ts';

export const fixtures = {
  // The server from deploy/local, in the isolation's own schema (dropped by cleanup); each store opened
  // on it has a connection of its own, so "asking at once" really is concurrent.
  'deploy/local server': async (): Promise<ContractFixture> => {
    await requireEngines('postgres');
    const iso = isolate('lease-store', ['postgres']);
    return {
      config: { kind: 'postgres', url: engineSettings().pgUrl, schema: iso.pgSchema },
      cleanup: () => iso.cleanup(),
    };
  },
};
