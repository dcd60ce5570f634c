import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downwardApiAttrs, inKubernetes, kubeletPathAttrs } from './kubernetes.ts';

describe('kubernetes metadata', () => {
  it('reads the downward-API variables under their customary and OpenTelemetry names', () => {
    const attrs = downwardApiAttrs({
      POD_NAME: 'web-1',
      POD_NAMESPACE: 'shop',
      POD_UID: 'u-1',
      NODE_NAME: 'short-name',
      K8S_NODE_NAME: 'node-3',
      K8S_DEPLOYMENT_NAME: 'web',
      HOME: '/root',
      CONTAINER_NAME: ' ',
    });
    assert.deepEqual(Object.fromEntries(attrs), {
      'k8s.pod.name': 'web-1',
      'k8s.namespace.name': 'shop',
      'k8s.pod.uid': 'u-1',
      'k8s.node.name': 'node-3',
      'k8s.deployment.name': 'web',
    });
  });

  it('knows it runs in a pod by the variable the kubelet sets in every container', () => {
    assert.equal(inKubernetes({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }), true);
    assert.equal(inKubernetes({ POD_NAME: 'x' }), false);
  });

  it('names pod, namespace and container from the kubelet log layouts', () => {
    const id = 'f'.repeat(64);
    assert.deepEqual(
      Object.fromEntries(kubeletPathAttrs(`/var/log/containers/web-5c7d_shop_nginx-${id}.log`)),
      {
        'k8s.pod.name': 'web-5c7d',
        'k8s.namespace.name': 'shop',
        'k8s.container.name': 'nginx',
        'container.id': id,
      },
    );
    assert.deepEqual(
      Object.fromEntries(
        kubeletPathAttrs('/var/log/pods/shop_web-5c7d_0a1b-2c3d/nginx/0.log.20261123-120000'),
      ),
      {
        'k8s.namespace.name': 'shop',
        'k8s.pod.name': 'web-5c7d',
        'k8s.pod.uid': '0a1b-2c3d',
        'k8s.container.name': 'nginx',
      },
    );
    assert.equal(kubeletPathAttrs('/var/log/syslog').size, 0);
  });
});
