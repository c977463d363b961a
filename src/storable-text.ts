/**
 * Postgres text cannot hold a NUL character, and a lone UTF-16 surrogate cannot be encoded as
 * UTF-8: free text with either is refused with a clear message (as the case-event API does)
 * rather than failing in the database or being stored as something else.
 */
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether the text can be stored exactly as given. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !unpairedSurrogate.test(text);
}

/** How a refusal names the problem. */
export const unstorableTextMessage = 'must not contain NUL characters or unpaired surrogates';
