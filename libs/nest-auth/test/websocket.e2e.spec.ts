import type { INestApplication } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { io, type Socket } from 'socket.io-client';
import { CurrentUser, OwnerParam, Public, Roles, type AuthUser } from '../src';
import { TestIssuer } from '../src/testing';
import { startApp } from './support/apps';

@WebSocketGateway()
class ProbeGateway {
  @SubscribeMessage('whoami')
  whoami(@CurrentUser() user: AuthUser) {
    return { id: user.id, email: user.email ?? null };
  }

  @Public()
  @SubscribeMessage('ping')
  ping() {
    return 'pong';
  }

  @Roles('admin')
  @SubscribeMessage('admin')
  admin() {
    return 'granted';
  }

  @OwnerParam()
  @SubscribeMessage('inbox')
  inbox(@MessageBody() body: { userId: string }) {
    return { inbox: body.userId };
  }
}

describe('WebSockets (socket.io, handshake Authorization header)', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    ({ app, url } = await startApp(issuer.moduleOptions(), 'express', {
      controllers: [],
      providers: [ProbeGateway],
    }));
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await app.close();
  });

  async function connect(authorization?: string): Promise<Socket> {
    const socket = io(url, {
      transports: ['websocket'],
      extraHeaders: authorization ? { authorization } : {},
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  function exceptionOf(socket: Socket, event: string, data: unknown = {}) {
    return new Promise<any>((resolve) => {
      socket.once('exception', resolve);
      socket.emit(event, data);
    });
  }

  it('puts the verified user on the socket for @CurrentUser()', async () => {
    const token = await issuer.sign({ sub: 'ws-user', email: 'w@example.com' });
    const socket = await connect(`Bearer ${token}`);
    await expect(socket.emitWithAck('whoami', {})).resolves.toEqual({
      id: 'ws-user',
      email: 'w@example.com',
    });
  });

  it('answers a WsException with the reason when there is no token', async () => {
    const socket = await connect();
    const error = await exceptionOf(socket, 'whoami');
    expect(error).toMatchObject({ statusCode: 401, code: 'missing_token' });
  });

  it('answers a WsException for an invalid token', async () => {
    const socket = await connect(`Bearer ${await issuer.sign({}, { expiresIn: -60 })}`);
    const error = await exceptionOf(socket, 'whoami');
    expect(error).toMatchObject({ statusCode: 401, code: 'token_expired' });
  });

  it('@Public() messages need no token', async () => {
    const socket = await connect();
    await expect(socket.emitWithAck('ping', {})).resolves.toBe('pong');
  });

  it('ownership compares a message field with sub', async () => {
    const socket = await connect(`Bearer ${await issuer.sign({ sub: 'me' })}`);
    await expect(socket.emitWithAck('inbox', { userId: 'me' })).resolves.toEqual({ inbox: 'me' });
    const error = await exceptionOf(socket, 'inbox', { userId: 'you' });
    expect(error).toMatchObject({ statusCode: 403, code: 'not_owner' });
  });

  it('roles are enforced on messages', async () => {
    const user = await connect(`Bearer ${await issuer.sign({ role: 'user' })}`);
    expect(await exceptionOf(user, 'admin')).toMatchObject({
      statusCode: 403,
      code: 'insufficient_role',
    });
    const admin = await connect(`Bearer ${await issuer.sign({ role: 'admin' })}`);
    await expect(admin.emitWithAck('admin', {})).resolves.toBe('granted');
  });
});
