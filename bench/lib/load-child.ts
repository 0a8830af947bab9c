/** Runs the load generator in its own process (so it does not share the router's event loop) and prints its report. */
import { LoadGenerator } from '../../src/loadgen/load-generator.js';

const [url = '', rps = '1000', seconds = '10'] = process.argv.slice(2);
const generator = new LoadGenerator({ url, rps: Number(rps), durationMs: Number(seconds) * 1000 }).start();
process.on('SIGTERM', () => {
  void generator.stop().then((report) => {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.exit(0);
  });
});
