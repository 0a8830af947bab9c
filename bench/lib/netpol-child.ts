/**
 * One bench/netpol measurement in its own process (so its peak memory is its own): reads the manifest
 * file, then analyses it as `slipway netpol FILE` does. Prints { readMs, analyzeMs, peakMb, undeclared }.
 */
import { readManifests } from '../../src/manifests/read-manifests.js';
import { analyze } from '../../src/policy/netpol/analyze.js';

const file = process.argv[2]!;
let t = performance.now();
const { objects, errors } = readManifests([file]);
if (errors.length > 0) throw new Error(errors[0]!.message);
const readMs = performance.now() - t;
t = performance.now();
const report = analyze(objects.map((o) => o.object));
const analyzeMs = performance.now() - t;
// Printing is part of the command: the text report, thrown away.
const lines = report.undeclared.length + report.dropped.length + report.dnsBlocked.length;
process.stdout.write(
  `${JSON.stringify({ readMs, analyzeMs, peakMb: process.resourceUsage().maxRSS / 1024, lines, dropped: report.dropped.length })}\n`,
);
