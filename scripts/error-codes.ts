// Writes docs/error-codes.md from the table of error codes (src/errors/codes.ts).
import { writeFileSync } from 'node:fs';
import { errorCodesMarkdown } from '../src/errors/error-codes-doc.js';

writeFileSync('docs/error-codes.md', errorCodesMarkdown());
