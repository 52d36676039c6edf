import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/** Largest JSON body accepted: a task is at most ~2.3 kB of text. */
export const BODY_LIMIT = '16kb';

/**
 * Deepest nesting of arrays/objects accepted in a body or query (a task is flat: depth 1).
 * class-transformer and class-validator walk values recursively; 2000 levels (4 kB of
 * `[[[...]]]`) overflow their stack and surfaced as a 500.
 */
export const MAX_INPUT_DEPTH = 32;

interface BodyParserError extends Error {
  status?: number;
  type?: string;
  limit?: number;
}

/**
 * body-parser failures (malformed JSON, too large, unknown charset) would otherwise reach
 * Express' default handler, which answers in HTML. Answer them in the API's JSON shape.
 */
export function bodyParserErrorHandler(
  error: BodyParserError,
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (!error || typeof error.type !== 'string' || !error.status || error.status >= 500) {
    next(error);
    return;
  }
  const status = error.status;
  if (error.type === 'entity.parse.failed') {
    res.status(400).json({
      statusCode: 400,
      error: 'Bad Request',
      message: ['body must be valid JSON'],
      errors: [{ field: 'body', rule: 'json', message: 'body must be valid JSON' }],
    });
    return;
  }
  if (error.type === 'entity.too.large') {
    res.status(413).json({
      statusCode: 413,
      error: 'Payload Too Large',
      message: `body must be at most ${BODY_LIMIT}`,
    });
    return;
  }
  res
    .status(status)
    .json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: error.message });
}

/**
 * Whether `value` nests arrays/objects deeper than `max` (a flat object is depth 1).
 * Iterative on purpose: a recursive walk would overflow on the very input it guards against.
 * Hand-written because neither body-parser nor Express offers a depth limit for JSON.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) {
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Refuses a body or query nested deeper than {@link MAX_INPUT_DEPTH} with a 400 in the
 * validation shape, right after parsing and before any guard, pipe or transform sees it.
 * Express' default "simple" query parser never nests; the check also holds if it changes.
 */
export function rejectDeepInput(req: Request, res: Response, next: NextFunction): void {
  const source = nestsDeeperThan(req.body, MAX_INPUT_DEPTH)
    ? 'body'
    : nestsDeeperThan(req.query, MAX_INPUT_DEPTH)
      ? 'query'
      : undefined;
  if (!source) {
    next();
    return;
  }
  const message = `${source} must not nest deeper than ${MAX_INPUT_DEPTH} levels`;
  res.status(400).json({
    statusCode: 400,
    error: 'Bad Request',
    message: [message],
    errors: [{ field: source, rule: 'maxDepth', message }],
  });
}

/** Responses carry user data: no browser or proxy may keep a copy. The docs are static. */
export function noStore(docsPath: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith(docsPath)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
