/** @module Notifications: Slack, Telegram and webhooks, with credentials only from the environment. */
import { z } from 'zod';
import { envVarName } from './primitives.js';

const event = z
  .enum([
    'release-started',
    'gate-failed',
    'rollback',
    'release-succeeded',
    'release-failed',
    'approval-needed',
    'paused',
    'inconclusive',
    'aborted',
    'step-completed',
  ])
  .meta({
    description:
      'Without `on`, a channel gets every occasion but step-completed (one message per step: ask for it by name)',
  });

export const notify = z.strictObject({
  slack: z
    .strictObject({ webhookEnv: envVarName, channel: z.string().optional(), on: z.array(event).optional() })
    .optional(),
  telegram: z
    .strictObject({
      botTokenEnv: envVarName,
      chatId: z.union([z.string(), z.number()]).optional(),
      chatIdEnv: envVarName.optional(),
      on: z.array(event).optional(),
    })
    .optional(),
  webhooks: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        url: z.string().url().optional(),
        urlEnv: envVarName.optional(),
        on: z.array(event).optional(),
      }),
    )
    .optional(),
});
