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
  ])('rejects %j', (value) => {
    expect(decodeTaskCursor(value)).toBeUndefined();
  });
});
