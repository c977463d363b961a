/**
 * One error family with codes. Each edge maps a code once: an HTTP status, a polite chat message,
 * or a job retry decision.
 */
export const errorCodes = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export type FieldError = { path: string; message: string };

/** An expected failure whose message is safe to show to the person who caused it. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export const invalid = (message: string, fields: FieldError[] = []) =>
  new AppError('invalid_input', message, fields);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const notFound = (message: string) => new AppError('not_found', message);
export const conflict = (message: string) => new AppError('conflict', message);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Renders an issue path as `staff[2].role`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

type SafeParser<T> = {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
};

/** Parses input with a zod schema, or throws an `invalid_input` AppError naming every bad field. */
export function parseInput<T>(
  schema: SafeParser<T>,
  value: unknown,
  message = 'Please correct the highlighted fields',
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(
    message,
    result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
  );
}
