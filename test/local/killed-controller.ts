/** A controller that starts replicas, prints their pids, and waits to be killed (used by orphans.test.ts). */
import { LocalTarget } from '../../src/targets/local/local-target.js';
import { demoService } from './local-harness.js';

const [stateDir = '', cluster = 'orphan'] = process.argv.slice(2);
const target = new LocalTarget({ cluster, services: [demoService()], stateDir });
await target.start();
await target.ensureReplicas({ service: 'web', cluster }, { group: 'stable', version: 'v1', replicas: 2 });
const pids = target
  .group('web', 'stable')
  .status()
  .replicas.map((r) => r.pid);
process.stdout.write(`${JSON.stringify(pids)}\n`);
setInterval(() => undefined, 1000);
