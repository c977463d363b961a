/**
 * Text in Adaptive Cards. Everything that is not our own fixed wording goes into a `TextRun`, which
 * Teams renders as plain text: no markdown links, no `<at>` mentions, no formatting tricks. So a
 * name or note cannot forge a link or a mention, whatever it contains.
 */

export type Inline = {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  size?: 'Medium' | 'Large';
  isSubtle?: boolean;
  color?: 'Attention' | 'Good' | 'Warning' | 'Accent';
};
export type Element = Record<string, unknown>;

/** Removes control and bidi-override characters and caps the length, so a value cannot disguise itself. */
export function clean(text: string, max = 500): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  const stripped = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '');
  return stripped.length > max ? `${stripped.slice(0, max - 1)}…` : stripped;
}

/** A plain-text run. */
export function run(text: string, options: Omit<Inline, 'type' | 'text'> = {}): Inline {
  return { type: 'TextRun', text: clean(text), ...options };
}

/** A paragraph of plain-text runs. */
export function para(inlines: Inline[], options: Element = {}): Element {
  return { type: 'RichTextBlock', inlines, ...options };
}

/** `Label: value` on one line, the value as plain text. */
export function field(label: string, value: string): Element {
  return para([run(`${label}: `, { weight: 'Bolder' }), run(value)], { spacing: 'None' });
}

/** A heading. */
export function heading(text: string, size: 'Medium' | 'Large' = 'Medium'): Element {
  return para([run(text, { size, weight: 'Bolder' })]);
}

/** An attention-coloured line (errors and refusals). */
export function warning(text: string): Element {
  return para([run(text, { color: 'Attention' })]);
}
