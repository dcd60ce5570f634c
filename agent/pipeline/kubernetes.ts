/**
 * Kubernetes metadata the agent can know without calling the API server: the downward-API environment
 * of its own pod, and the kubelet's log file layout. The API is not used on purpose: it would need a
 * service account, RBAC and a watch, while these two sources cover the sidecar (env describes the app's
 * pod) and the DaemonSet (the path names the pod that wrote each file).
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** Downward-API variables under their customary names, and the attribute each becomes. */
const DOWNWARD_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['POD_NAME', 'k8s.pod.name'],
  ['POD_NAMESPACE', 'k8s.namespace.name'],
  ['POD_UID', 'k8s.pod.uid'],
  ['POD_IP', 'k8s.pod.ip'],
  ['NODE_NAME', 'k8s.node.name'],
  ['CONTAINER_NAME', 'k8s.container.name'],
];

/** `K8S_POD_NAME` → `k8s.pod.name` (the OpenTelemetry attribute names, spelt as environment variables). */
const OTEL_STYLE = /^K8S_([A-Z0-9]+(?:_[A-Z0-9]+)*)$/;

/** Whether the agent runs in a pod: the kubelet sets this variable in every container. */
export function inKubernetes(env: Env): boolean {
  return nonEmpty(env.KUBERNETES_SERVICE_HOST) !== undefined;
}

/**
 * Attributes from the downward-API environment. `K8S_*` variables win over the short names when both
 * are set, since they say exactly which attribute they mean.
 */
export function downwardApiAttrs(env: Env): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const [name, attr] of DOWNWARD_NAMES) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) attrs.set(attr, value);
  }
  for (const name of Object.keys(env).sort()) {
    const m = OTEL_STYLE.exec(name);
    const value = nonEmpty(env[name]);
    if (m !== null && value !== undefined) attrs.set(`k8s.${m[1].toLowerCase().replace(/_/g, '.')}`, value);
  }
  return attrs;
}

// /var/log/containers/<pod>_<namespace>_<container>-<container id>.log (symlinks the kubelet keeps)
const CONTAINERS_LINK = /\/containers\/([^_/]+)_([^_/]+)_([^/]+)-([0-9a-f]{64})\.log$/;
// /var/log/pods/<namespace>_<pod>_<pod uid>/<container>/<restart>.log (and its rotated siblings)
const PODS_FILE = /\/pods\/([^_/]+)_([^_/]+)_([^_/]+)\/([^/]+)\/\d+\.log(?:\.[^/]+)?$/;

/**
 * Pod, namespace and container of a kubelet-managed log file, from its path; empty for other files.
 * In a DaemonSet this is the only truthful source: the agent's own downward-API variables describe the
 * agent's pod, not the pods whose logs it reads.
 */
export function kubeletPathAttrs(path: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const link = CONTAINERS_LINK.exec(path);
  if (link !== null) {
    attrs.set('k8s.pod.name', link[1]);
    attrs.set('k8s.namespace.name', link[2]);
    attrs.set('k8s.container.name', link[3]);
    attrs.set('container.id', link[4]);
    return attrs;
  }
  const file = PODS_FILE.exec(path);
  if (file !== null) {
    attrs.set('k8s.namespace.name', file[1]);
    attrs.set('k8s.pod.name', file[2]);
    attrs.set('k8s.pod.uid', file[3]);
    attrs.set('k8s.container.name', file[4]);
  }
  return attrs;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
