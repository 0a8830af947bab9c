/** @module A notification target must say where to send: a chat, a URL. */
import type { SlipwayError } from '../../errors/index.js';
import { asList, asMap, keyErrors, type RuleContext } from './raw.js';

export function checkNotifyTargets(ctx: RuleContext): SlipwayError[] {
  const { errors, add } = keyErrors(ctx);
  const telegram = asMap(asMap(ctx.data.notify).telegram);
  if (
    asMap(ctx.data.notify).telegram !== undefined &&
    telegram.chatId === undefined &&
    telegram.chatIdEnv === undefined
  ) {
    add('SPEC_MISSING_KEY', 'telegram needs "chatId" or "chatIdEnv"', ['notify', 'telegram']);
  }
  asList(asMap(ctx.data.notify).webhooks).forEach((w, i) => {
    const hook = asMap(w);
    if (hook.url === undefined && hook.urlEnv === undefined)
      add('SPEC_MISSING_KEY', 'a webhook needs "url" or "urlEnv"', ['notify', 'webhooks', i]);
  });
  return errors;
}
