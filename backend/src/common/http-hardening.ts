import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/** Largest JSON body accepted: a task is at most ~2.3 kB of text. */
export const BODY_LIMIT = '16kb';

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

/** Responses carry user data: no browser or proxy may keep a copy. The docs are static. */
export function noStore(docsPath: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith(docsPath)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
