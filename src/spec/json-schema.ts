/** @module The spec's JSON Schema, for editors (yaml-language-server) and other tools. */
import { z } from 'zod';
import { platform } from './schema/platform.js';

export function platformJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(platform, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return { $id: 'https://slipway.dev/schema/v1/platform.json', ...schema };
}
