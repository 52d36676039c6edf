/**
 * The list's keyset cursor: the (createdAt, id) of the last task of a page, as opaque
 * base64url text. Keyset pagination never repeats or skips a task when others are
 * created between two pages, which an offset would.
 */
export interface TaskCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The dates a cursor may carry: tasks are created now, so 1970..9999 covers every real one,
 * and both JavaScript and PostgreSQL's timestamptz read it the same way. Outside it
 * (year 0000, negative or 5-digit years) PostgreSQL refuses the cast, which was a 500.
 */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function encodeTaskCursor(cursor: TaskCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString(
    'base64url',
  );
}

/** Returns undefined for anything this API did not produce. */
export function decodeTaskCursor(value: string): TaskCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) return undefined;
  const [iso, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (rest.length || !iso || !id || !UUID.test(id)) return undefined;
  const createdAt = new Date(iso);
  const time = createdAt.getTime();
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST) return undefined;
  if (createdAt.toISOString() !== iso) return undefined;
  return { createdAt, id: id.toLowerCase() };
}
