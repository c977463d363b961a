import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type FieldError, formatPath, invalid } from './errors.ts';

export { formatPath };

/**
 * A parsed YAML file that can say on which line a value sits, so validation errors point a person
 * at the place to fix.
 */
export class YamlFile {
  private readonly lines = new LineCounter();
  readonly value: unknown;
  private readonly doc;

  constructor(
    readonly name: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: true });
    if (this.doc.errors.length > 0) {
      const fields = this.doc.errors.map((e) => ({
        path: `line ${e.linePos?.[0]?.line ?? '?'}`,
        message: e.message.split('\n')[0] ?? e.message,
      }));
      throw invalid(`${name} is not valid YAML`, fields);
    }
    this.value = this.doc.toJS();
  }

  /** The 1-based line of the value at `path`, or of its nearest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number | undefined {
    for (let end = path.length; end >= 0; end--) {
      const node = this.doc.getIn(path.slice(0, end) as unknown[], true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return undefined;
  }

  /** A field error for `path`, prefixed with its line number. */
  fieldError(path: readonly PropertyKey[], message: string): FieldError {
    const line = this.lineOf(path);
    return { path: `${line ? `line ${line}: ` : ''}${formatPath(path)}`, message };
  }

  /** Validates the whole file against `schema`; throws one error listing every problem with its line. */
  parse<T extends z.ZodType>(schema: T): z.infer<T> {
    const result = schema.safeParse(this.value ?? {});
    if (result.success) return result.data;
    throw invalid(
      `${this.name} was refused; nothing was changed`,
      result.error.issues.map((i) => this.fieldError(i.path, i.message)),
    );
  }
}
