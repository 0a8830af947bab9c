/** @module `validate`: the programmatic form the CLI and tests share. */
import type { SlipwayError } from '../errors/index.js';
import { discoverSpecs } from './discover.js';
import { loadSpecFile } from './load.js';

export interface ValidationReport {
  file: string;
  valid: boolean;
  errors: SlipwayError[];
  services?: number;
  environments?: number;
}

/** Validates every spec found at `path` (a file or a directory). */
export function validatePath(path: string): ValidationReport[] {
  return discoverSpecs(path).map((file) => {
    const result = loadSpecFile(file);
    if (!result.ok) return { file, valid: false, errors: result.errors };
    return {
      file,
      valid: true,
      errors: [],
      services: Object.keys(result.spec.services).length,
      environments: Object.keys(result.spec.environments).length,
    };
  });
}
