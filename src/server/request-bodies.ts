/**
 * @module What each API call's body may hold, validated before anything is done with it: a malformed
 * body is a 400 that says which field is wrong, never a cast that fails deep inside as a 500.
 */
import { z } from 'zod';
import { SlipwayError } from '../errors/index.js';
import { parseDuration } from '../spec/units.js';

const name = z.string().min(1).max(253);
const actor = z.string().min(1).max(200).optional();
const environments = z.array(name).max(100).optional();
const changes = z
  .array(
    z.object({
      service: name,
      version: z.string().min(1).max(300),
      committedAt: z.iso.datetime({ offset: true }).optional(),
    }),
  )
  .min(1);

export const BODIES = {
  release: z.object({
    request: z.object({
      changes: changes.max(500),
      environments,
    }),
    actor,
  }),
  rollback: z.object({
    request: z.object({
      service: name.optional(),
      to: z.string().min(1).max(300).optional(),
      environments,
      release: name.optional(),
    }),
    actor,
  }),
  plan: z.object({
    request: z.object({ changes: changes.max(500), environments }),
    from: z.string().min(1).max(300).optional(),
  }),
  render: z.object({ environments }),
  lint: z.object({
    environments,
    only: z.array(name).max(100).optional(),
    disable: z.array(name).max(100).optional(),
  }),
  approve: z.object({ actor, environment: name.optional() }),
  promote: z.object({ actor }),
  diagnose: z.object({ actor }),
  abort: z.object({ actor, reason: z.string().max(2000).optional() }),
} as const;

/** The body as its schema says, or a user error naming the first wrong field. */
export function parseBody<K extends keyof typeof BODIES>(
  kind: K,
  body: unknown,
): z.infer<(typeof BODIES)[K]> {
  const result = BODIES[kind].safeParse(body);
  if (result.success) return result.data as z.infer<(typeof BODIES)[K]>;
  const issue = result.error.issues[0]!;
  const at = issue.path.length ? issue.path.join('.') : 'the body';
  throw new SlipwayError('API_BAD_REQUEST', `${at}: ${issue.message}`, {
    hint: 'see the CLI (slipway release --help) for what each call takes',
  });
}

/** A `?since=30d` window: a duration of at most ten years, or a 400 that says what to write. */
export function parseWindow(text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms) || ms <= 0 || ms > 3650 * 24 * 3_600_000)
    throw new SlipwayError('API_BAD_REQUEST', `since: "${text.slice(0, 40)}" is not a window`, {
      hint: 'a duration such as 30d, 12h or 1d12h, at most 3650d',
    });
  return ms;
}
