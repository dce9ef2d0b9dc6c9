import type { NotifierConfig } from '../../config/schema.ts';
import type { Notifier } from '../notifier.ts';

type ConsoleConfig = Extract<NotifierConfig, { type: 'console' }>;

const MARK = { good: 'OK', warning: 'REJECTED', danger: 'FAILED' } as const;

export const consoleNotifier: Notifier<ConsoleConfig> = {
  type: 'console',
  describe: () => 'console',
  async send({ message, write }) {
    const lines = [`[${MARK[message.severity]}] ${message.subject}`, `  ${message.text}`];
    for (const f of message.fields) lines.push(`  ${f.title}: ${f.value}`);
    write(`${lines.join('\n')}\n`);
  },
};
