import { err, warn } from '../formats/types.ts';
import type { RecordRule } from './types.ts';

/**
 * Strings the model family reserves (catalog `reservedStrings`; Nova: `User:`, `Bot:`, `[EOS]` ...). AWS says
 * they make the job fail when present in the system or user prompt; in answers we warn.
 */
export const reservedStrings: RecordRule = {
  name: 'reserved-strings',
  check({ system, turns }, { model }, issues) {
    if (model.reservedStrings.length === 0) return;
    const texts = system ? [{ ...system, role: 'system' as const }, ...turns] : turns;
    for (const t of texts) {
      for (const reserved of model.reservedStrings) {
        if (!t.text.includes(reserved)) continue;
        const message = `contains "${reserved}", which ${model.name} reserves`;
        const hint = `remove or reword "${reserved}" (e.g. "${reserved.replace(/[:[\]<>]/g, '')} -" ); reserved: ${model.reservedStrings.join(' ')}`;
        issues.push(
          t.role === 'assistant'
            ? warn('RESERVED_STRING', t.path, message, hint)
            : err('RESERVED_STRING', t.path, message, hint),
        );
      }
    }
  },
};
