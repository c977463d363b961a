import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type FieldError, formatPath, invalid } from './errors.ts';

export { formatPath };

/** A directory or policy file is a few hundred lines; anything near this is a mistake or an attack. */
export const adminFileLimit = 1024 * 1024;

/**
 * Reads an administrator's file (directory, policy): only a regular file, at most `limit` bytes.
 * A device such as /dev/zero never ends, a FIFO blocks and a 50 MB file is parsed into gigabytes,
 * so each is refused with a message that says what to give instead. The size is checked on the
 * open file and again while reading, so a file swapped or grown meanwhile cannot get past it.
 */
export function readAdminFile(path: string, what: string, limit = adminFileLimit): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw invalid(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a pipe' : 'not a regular file';
      throw invalid(`${what} ${path} is ${kind}; give the path of a YAML file`);
    }
    const tooLarge = () =>
      invalid(`${what} ${path} is larger than ${limit / (1024 * 1024)} MiB; a ${what} is never that large`);
    if (stat.size > limit) throw tooLarge();
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > limit) throw tooLarge();
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

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
