#!/usr/bin/env node
// Steady loopback traffic for the demo: node examples/demo/load.js URL [RPS] [SECONDS]
// (needs `npm run build`). Only loopback addresses are accepted.
import { LoadGenerator } from '../../dist/loadgen/load-generator.js';

const [url = 'http://127.0.0.1:8080/', rps = '200', seconds = '10'] = process.argv.slice(2);
try {
  const report = await new LoadGenerator({ url, rps: Number(rps), durationMs: Number(seconds) * 1000 }).run();
  console.log(JSON.stringify(report, null, 2));
} catch (error) {
  // A wrong URL is the user's mistake: say so plainly, without a stack trace.
  console.error(`error ${error.code ?? 'LOAD_FAILED'}: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}`);
  process.exitCode = 2;
}
