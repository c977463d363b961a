import { invalid } from '../errors.ts';
import { isStorableText, unstorableTextMessage } from '../storable-text.ts';

/** Evidence and reasons are required free text: empty or only white space counts as missing. */
export function requiredText(value: string | undefined, field: string, hint: string): string {
  const text = (value ?? '').trim();
  if (!text)
    throw invalid(`${field} is required: ${hint}`, [
      { path: field.toLowerCase(), message: `${field} is required` },
    ]);
  if (text.length > 2000) {
    throw invalid(`${field} is too long (2,000 characters at most)`, [
      { path: field.toLowerCase(), message: 'too long' },
    ]);
  }
  if (!isStorableText(text)) {
    throw invalid(`${field} ${unstorableTextMessage}`, [
      { path: field.toLowerCase(), message: unstorableTextMessage },
    ]);
  }
  return text;
}
