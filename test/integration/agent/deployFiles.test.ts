import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadAgentConfig } from '../../../agent/runtime/agentConfig.ts';
import { REPO, tempDir } from './agentHarness.ts';

type Manifest = {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { template: { spec: Record<string, unknown> } };
};

async function manifests(file: string): Promise<Manifest[]> {
  const docs = parseAllDocuments(await readFile(join(REPO, file), 'utf8'));
  return (Array.isArray(docs) ? docs : [docs]).map((doc) => {
    assert.deepEqual(doc.errors, [], `${file} is valid YAML`);
    return doc.toJS() as Manifest;
  });
}

describe('deploy files', () => {
  for (const file of ['deploy/kubernetes/agent-daemonset.yaml', 'deploy/kubernetes/agent-sidecar.yaml']) {
    it(`${file}: its agent.yaml passes the agent's own config check`, async () => {
      const configMaps = (await manifests(file)).filter((m) => m.kind === 'ConfigMap');
      assert.equal(configMaps.length, 1);
      const dir = await tempDir('sluice-deploy-');
      try {
        const path = join(dir.path, 'agent.yaml');
        await writeFile(path, configMaps[0].data?.['agent.yaml'] ?? '');
        const config = await loadAgentConfig(path, { SLUICE_KEY: 'k-test' });
        assert.ok(config.inputs.length > 0);
        assert.equal(config.metrics.listen, '0.0.0.0:9464', 'reachable by probes and Prometheus');
      } finally {
        await dir.remove();
      }
    });
  }

  it('gives the DaemonSet the node name but not the pod name, and the sidecar both', async () => {
    const envNames = (m: Manifest | undefined) => {
      const spec = m?.spec?.template.spec as { containers?: unknown[]; initContainers?: unknown[] };
      const agent = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find((c) =>
        (c as { name: string }).name.includes('agent'),
      ) as { env: Array<{ name: string }> };
      return agent.env.map((e) => e.name);
    };
    const daemonSet = envNames(
      (await manifests('deploy/kubernetes/agent-daemonset.yaml')).find((m) => m.kind === 'DaemonSet'),
    );
    assert.ok(daemonSet.includes('NODE_NAME') && !daemonSet.includes('POD_NAME'));
    const sidecar = envNames(
      (await manifests('deploy/kubernetes/agent-sidecar.yaml')).find((m) => m.kind === 'Deployment'),
    );
    assert.ok(
      sidecar.includes('POD_NAME') && sidecar.includes('POD_NAMESPACE') && sidecar.includes('NODE_NAME'),
    );
  });

  it('the systemd unit stops with SIGTERM, keeps state in its StateDirectory and does not restart on a bad config', async () => {
    const unit = await readFile(join(REPO, 'deploy/systemd/sluice-agent.service'), 'utf8');
    const settings = new Map(
      unit
        .split('\n')
        .filter((l) => /^[A-Za-z]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
    );
    assert.equal(settings.get('KillSignal'), 'SIGTERM');
    assert.equal(settings.get('StateDirectory'), 'sluice-agent');
    assert.equal(settings.get('Environment'), 'SLUICE_STATE_DIR=/var/lib/sluice-agent');
    assert.equal(settings.get('RestartPreventExitStatus'), '2');
    assert.match(settings.get('ExecStart') ?? '', /--shutdown-timeout 20s/);
    // The agent spools while the gateway is away, so its start must not wait for the gateway's check.
    assert.match(settings.get('ExecStartPre') ?? '', /--check-config --no-environment/);
    // The agent's deadline must end before systemd's SIGKILL.
    assert.ok(Number.parseInt(settings.get('TimeoutStopSec') ?? '0', 10) > 20);
  });
});
