import type { AlertNotification } from './alertNotification.ts';

/** Slack's incoming-webhook body: one message, in Slack's mrkdwn. */
export interface SlackMessage {
  text: string;
}

const ICON: Record<AlertNotification['state'], string> = {
  firing: ':rotating_light:',
  resolved: ':white_check_mark:',
};

/**
 * One line saying what fired where and why, then the link to the events. Slack only turns absolute
 * URLs into links, so a path (no link base configured) is shown as text to paste after the host.
 */
export function slackMessage(n: AlertNotification): SlackMessage {
  const group = Object.entries(n.group)
    .map(([field, value]) => `${field}=${value === null ? '(none)' : String(value)}`)
    .join(', ');
  const where = group === '' ? `tenant ${n.tenant}` : `tenant ${n.tenant}, ${group}`;
  const count = `${n.count_relation === 'gte' ? 'at least ' : ''}${n.count}`;
  const headline =
    `${ICON[n.state]} *${n.state.toUpperCase()}* ${n.rule} (${n.severity}) — ${where}: ` +
    `${count} events in ${n.window} (condition: count ${n.op} ${n.threshold})`;
  const link = /^https?:\/\//.test(n.search_url)
    ? `<${n.search_url}|Open the events in Sluice>`
    : `Events: ${n.search_url}`;
  return { text: `${escapeSlack(headline)}\n${link.startsWith('<') ? link : escapeSlack(link)}` };
}

/** Slack reads &, < and > as markup; escaped, user-chosen names and values cannot forge links or mentions. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
