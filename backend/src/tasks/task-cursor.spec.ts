import { decodeTaskCursor, encodeTaskCursor } from './task-cursor';

describe('task cursor', () => {
  const cursor = {
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    id: '0b1e4a56-7c1d-4c8e-9f0a-1b2c3d4e5f60',
  };

  it('round-trips', () => {
    const encoded = encodeTaskCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeTaskCursor(encoded)).toEqual(cursor);
  });

  it.each([
    '',
    'not base64!',
    Buffer.from('2026-01-02T03:04:05.678Z|not-a-uuid').toString('base64url'),
    Buffer.from(`yesterday|${cursor.id}`).toString('base64url'),
    Buffer.from(`2026-01-02T03:04:05.678Z|${cursor.id}|x`).toString('base64url'),
    'x'.repeat(500),
    // Dates PostgreSQL's timestamptz refuses (or that no task can have): a 400, not a 500.
    Buffer.from(`0000-01-01T00:00:00.000Z|${cursor.id}`).toString('base64url'),
    Buffer.from(`-000001-01-01T00:00:00.000Z|${cursor.id}`).toString('base64url'),
    Buffer.from(`+010000-01-01T00:00:00.000Z|${cursor.id}`).toString('base64url'),
    Buffer.from(`1969-12-31T23:59:59.999Z|${cursor.id}`).toString('base64url'),
  ])('rejects %j', (value) => {
    expect(decodeTaskCursor(value)).toBeUndefined();
  });
});
