import { warn } from '../formats/types.ts';
import type { RecordRule } from './types.ts';

// Cheap pre-filters keep this off the hot path for records without '@' or long digit runs.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const CARD = /\d(?:[ -]?\d){12,18}/g;
// A card number always holds four digits in a row (groups of four, or unbroken); this test is ~4x
// cheaper than the full pattern and rules out almost every text.
const FOUR_DIGITS = /\d\d\d\d/;

/** Luhn checksum: real card numbers pass it, most random digit runs (order ids, phone numbers) do not. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const mask = (s: string) => `${s.slice(0, 2)}…${s.slice(-2)}`;

/** Likely personal data (e-mail addresses, payment card numbers) in training text: a warning. */
export const pii: RecordRule = {
  name: 'pii',
  check({ system, turns }, _ctx, issues) {
    const texts = system ? [system, ...turns] : turns;
    for (const t of texts) {
      if (t.text.includes('@')) {
        const m = EMAIL.exec(t.text);
        if (m)
          issues.push(
            warn(
              'PII_EMAIL',
              t.path,
              `looks like an e-mail address (${mask(m[0])})`,
              'replace personal e-mail addresses with placeholders such as user@example.com',
            ),
          );
      }
      if (!FOUR_DIGITS.test(t.text)) continue;
      for (const m of t.text.matchAll(CARD)) {
        const digits = m[0].replace(/[ -]/g, '');
        if (digits.length >= 13 && luhnValid(digits)) {
          issues.push(
            warn(
              'PII_CARD_NUMBER',
              t.path,
              `looks like a payment card number (${mask(digits)}, passes the Luhn check)`,
              'replace card numbers with placeholders such as 4111 1111 1111 1111 → "[CARD]"',
            ),
          );
          break;
        }
      }
    }
  },
};
