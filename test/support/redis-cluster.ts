import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { freePort, redisServerInstalled } from './redis-server.js';

export interface PrivateRedisCluster {
  /** The seed nodes, as REDIS_CLUSTER_NODES takes them. */
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  /** `host:port,host:port,…` for REDIS_CLUSTER_NODES. */
  readonly seeds: string;
  /** Stops every node and removes their data directory. */
  destroy(): Promise<void>;
}

const MASTERS = 3;

/**
 * A Redis Cluster of the test run's own: three masters (no replicas) on free loopback ports,
 * each with its cluster config in one temporary folder, joined with `redis-cli --cluster create`.
 * Every node started is stopped again if any step fails, so a failed setup leaves no process.
 */
export async function startPrivateRedisCluster(): Promise<PrivateRedisCluster> {
  if (!redisServerInstalled() || spawnSync('redis-cli', ['--version']).status !== 0) {
    throw new Error('redis-server and redis-cli are not installed; the cluster tests need them. Install them with: sudo apt-get install -y redis-server');
  }
  const dir = mkdtempSync(join(tmpdir(), 'carebot-redis-cluster-'));
  const children: ChildProcess[] = [];
  const destroy = async () => {
    await Promise.all(children.map(stopChild));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < MASTERS; i++) ports.push(await freePort());
    for (const port of ports) {
      const args = [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
        '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', '5000',
        '--loglevel', 'warning',
      ];
      children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    await Promise.all(ports.map((port) => waitUntil(() => ping(port), `redis-server on port ${port} did not start`)));
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    // Every node must agree the cluster is up before a client may rely on its slot map.
    await Promise.all(ports.map((port) => waitUntil(() => clusterIsOk(port), `the cluster node on port ${port} never reported cluster_state:ok`)));
    const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
    return { nodes, seeds: ports.map((port) => `127.0.0.1:${port}`).join(','), destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** A client of `cluster` for tests (commands retry once, like the app's request-path client). */
export function connectCluster(cluster: PrivateRedisCluster, options: { blocking?: boolean } = {}): Cluster {
  return new Cluster(
    cluster.nodes.map((node) => ({ ...node })),
    { redisOptions: { maxRetriesPerRequest: options.blocking ? null : 1 } },
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    // A node that ignores SIGTERM is killed, so a test run never hangs here.
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function ping(port: number): Promise<boolean> {
  return withNode(port, async (client) => (await client.ping()) === 'PONG');
}

async function clusterIsOk(port: number): Promise<boolean> {
  return withNode(port, async (client) => /cluster_state:ok/.test(String(await client.call('CLUSTER', 'INFO'))));
}

async function withNode(port: number, check: (client: Redis) => Promise<boolean>): Promise<boolean> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await check(client);
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Polls `check` until it holds; generous, since a busy machine starts processes slowly. */
async function waitUntil(check: () => Promise<boolean>, failure: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
