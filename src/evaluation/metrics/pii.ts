/**
 * Detects personal data an answer must not leak: payment card numbers (Luhn-valid), e-mail addresses,
 * IBANs (ISO 13616 mod-97 valid) and US social security numbers. Checksums keep false positives (order
 * numbers, dates, amounts) out.
 */
export type PiiKind = 'card-number' | 'email' | 'iban' | 'ssn';
export interface PiiFinding {
  kind: PiiKind;
  value: string;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
const SSN = /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g;

export function findPii(text: string): PiiFinding[] {
  const found: PiiFinding[] = [];
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits))
      found.push({ kind: 'card-number', value: m[0] });
  }
  for (const m of text.matchAll(EMAIL)) found.push({ kind: 'email', value: m[0] });
  for (const m of text.matchAll(IBAN)) if (ibanValid(m[0])) found.push({ kind: 'iban', value: m[0] });
  for (const m of text.matchAll(SSN)) found.push({ kind: 'ssn', value: m[0] });
  return found;
}

/** "4111…1111": enough to find it in the answer, not enough to re-leak it in the report. */
export const mask = (value: string) =>
  value.length <= 8 ? '***' : `${value.slice(0, 4)}…${value.slice(-4)}`;
