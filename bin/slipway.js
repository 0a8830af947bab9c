#!/usr/bin/env node
import { run } from '../dist/cli/main.js';

// A reader that stops early (`slipway render | head -1`) closes the pipe: that is the reader's choice, not
// an error to report, so the rest of the output is dropped quietly.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

process.exitCode = await run(process.argv.slice(2));
