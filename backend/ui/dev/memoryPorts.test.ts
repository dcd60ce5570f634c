import { runMetricStoreContract } from '../../engines/metrics/contract/metricStoreContract.ts';
import { runSearchStoreContract } from '../../engines/search/contract/searchStoreContract.ts';
import { memoryMetricStore, memorySearchStore } from './memoryPorts.ts';

// The UI dev server's in-memory ports are held to the contracts the real stores pass, so what the UI
// shows in development is what it shows on SQLite or OpenSearch.
runSearchStoreContract('memory (UI dev server)', async () => ({
  store: memorySearchStore(),
  settle: async () => {},
  cleanup: async () => {},
}));

runMetricStoreContract('memory (UI dev server)', async () => ({
  store: memoryMetricStore(),
  cleanup: async () => {},
}));
