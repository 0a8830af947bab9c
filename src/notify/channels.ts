/** @module Notification channels from the spec: Slack and webhooks by URL, Telegram by bot token, all from env. */
import type { NotificationMessage } from '../engine/ports.js';
import type { Platform } from '../spec/schema/platform.js';

export interface Channel {
  name: string;
  /** Events it wants (all when undefined). */
  on?: readonly string[];
  url: string;
  body(message: NotificationMessage): unknown;
}

const envOf = (name: string | undefined, env: NodeJS.ProcessEnv) => (name ? env[name] : undefined);

/** Channels whose credentials are present in the environment; `missing` lists those that are not. */
export function channelsFromSpec(
  spec: Platform,
  env: NodeJS.ProcessEnv = process.env,
): { channels: Channel[]; missing: string[] } {
  const channels: Channel[] = [];
  const missing: string[] = [];
  const notify = spec.notify;
  if (notify?.slack) {
    const url = envOf(notify.slack.webhookEnv, env);
    if (url) {
      channels.push({
        name: 'slack',
        ...(notify.slack.on ? { on: notify.slack.on } : {}),
        url,
        body: (m) => ({ text: m.text, ...(notify.slack?.channel ? { channel: notify.slack.channel } : {}) }),
      });
    } else missing.push(`slack (set ${notify.slack.webhookEnv})`);
  }
  if (notify?.telegram) {
    const token = envOf(notify.telegram.botTokenEnv, env);
    const chat = notify.telegram.chatId ?? envOf(notify.telegram.chatIdEnv, env);
    if (token && chat !== undefined) {
      // SLIPWAY_TELEGRAM_API points tests at a local receiver.
      const api = env['SLIPWAY_TELEGRAM_API'] ?? 'https://api.telegram.org';
      channels.push({
        name: 'telegram',
        ...(notify.telegram.on ? { on: notify.telegram.on } : {}),
        url: `${api}/bot${token}/sendMessage`,
        body: (m) => ({ chat_id: chat, text: m.text, disable_web_page_preview: true }),
      });
    } else
      missing.push(
        `telegram (set ${notify.telegram.botTokenEnv}${notify.telegram.chatIdEnv ? ` and ${notify.telegram.chatIdEnv}` : ''})`,
      );
  }
  for (const [i, hook] of (notify?.webhooks ?? []).entries()) {
    const url = hook.url ?? envOf(hook.urlEnv, env);
    if (url) {
      channels.push({
        name: hook.name ?? `webhook-${i + 1}`,
        ...(hook.on ? { on: hook.on } : {}),
        url,
        body: (m) => ({
          event: m.event,
          release: m.releaseId,
          platform: m.platform,
          text: m.text,
          key: m.key,
          details: m.details ?? {},
        }),
      });
    } else missing.push(`${hook.name ?? `webhook-${i + 1}`} (set ${hook.urlEnv})`);
  }
  return { channels, missing };
}
