import type { ChildProcess } from 'node:child_process';

/**
 * Follows a Sluice child process's output: keeps its last `keep` lines for failure messages and reads
 * the URL from its "listening" log line, so tests use port 0 and never race for a port.
 */
export function followOutput(
  child: ChildProcess,
  keep: number,
  tee?: (chunk: Buffer) => void,
): { tail: string[]; url: () => string | undefined } {
  const tail: string[] = [];
  let url: string | undefined;
  let pending = '';
  const onOutput = (chunk: Buffer) => {
    tee?.(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > keep) tail.shift();
      if (url === undefined && line.includes('"listening"')) {
        try {
          url = (JSON.parse(line) as { url?: string }).url;
        } catch {
          // not one of Sluice's JSON log lines (e.g. a Node warning): nothing to learn from it
        }
      }
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  return { tail, url: () => url };
}
