/**
 * Registering an adapter runs its contract suite: every descriptor in the registry that needs a server
 * runs here, against the engines deploy/local/up starts (addresses from deploy/local/env.sh); each
 * fixture isolates itself (own topics, indices, schema, bucket) and fails, never skips, when its engine
 * is down. Embedded adapters run in backend/engines/registry.test.ts.
 */
import { runContractOf } from '../../../backend/engines/contracts.ts';
import { ALL_ENGINES } from '../../../backend/engines/registry.ts';

for (const descriptor of ALL_ENGINES)
  if (descriptor.contract.needs === 'server') await runContractOf(descriptor);
