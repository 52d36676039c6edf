import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { INestApplication } from '@nestjs/common';
import { Args, Field, GraphQLModule, ObjectType, Query, Resolver } from '@nestjs/graphql';
import request from 'supertest';
import { CurrentUser, OptionalAuth, OwnerParam, Public, Roles, type AuthUser } from '../src';
import { TestIssuer } from '../src/testing';
import { startApp } from './support/apps';

@ObjectType()
class Me {
  @Field()
  id!: string;

  @Field(() => String, { nullable: true })
  email?: string;
}

@Resolver(() => Me)
class MeResolver {
  @Query(() => Me)
  me(@CurrentUser() user: AuthUser): Me {
    return { id: user.id, email: user.email };
  }

  @Public()
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  @OptionalAuth()
  @Query(() => String, { nullable: true })
  whoami(@CurrentUser('id') id?: string): string | null {
    return id ?? null;
  }

  @OwnerParam()
  @Query(() => String)
  profile(@Args('userId') userId: string): string {
    return userId;
  }

  @Roles('admin')
  @Query(() => String)
  secret(): string {
    return 'classified';
  }
}

describe('GraphQL (Apollo, code first)', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    ({ app, url } = await startApp(issuer.moduleOptions(), 'express', {
      controllers: [],
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true }),
      ],
      providers: [MeResolver],
    }));
  });
  afterAll(() => app.close());

  const gql = (query: string, token?: string) => {
    const req = request(url).post('/graphql').send({ query });
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('resolves the current user from a valid token', async () => {
    const token = await issuer.sign({ sub: 'gql-user', email: 'g@example.com' });
    const res = await gql('{ me { id email } }', token);
    expect(res.body).toEqual({ data: { me: { id: 'gql-user', email: 'g@example.com' } } });
  });

  it('refuses a missing or invalid token with an UNAUTHENTICATED-style error', async () => {
    for (const token of [undefined, await issuer.sign({}, { expiresIn: -60 })]) {
      const res = await gql('{ me { id } }', token);
      expect(res.body.data).toBeNull();
      const [error] = res.body.errors;
      expect(error.message).toMatch(token ? /expired/ : /Authorization: Bearer/);
      expect(JSON.stringify(error)).toMatch(token ? /token_expired/ : /missing_token/);
    }
  });

  it('@Public() and @OptionalAuth() work on resolvers', async () => {
    expect((await gql('{ ping }')).body).toEqual({ data: { ping: 'pong' } });
    expect((await gql('{ whoami }')).body).toEqual({ data: { whoami: null } });
    const token = await issuer.sign({ sub: 'opt' });
    expect((await gql('{ whoami }', token)).body).toEqual({ data: { whoami: 'opt' } });
  });

  it('ownership compares the resolver argument with sub', async () => {
    const token = await issuer.sign({ sub: 'owner-1' });
    expect((await gql('{ profile(userId: "owner-1") }', token)).body).toEqual({
      data: { profile: 'owner-1' },
    });
    const res = await gql('{ profile(userId: "someone-else") }', token);
    expect(JSON.stringify(res.body.errors)).toMatch(/not_owner/);
  });

  it('roles are enforced', async () => {
    const res = await gql('{ secret }', await issuer.sign({ role: 'user' }));
    expect(JSON.stringify(res.body.errors)).toMatch(/insufficient_role/);
    const ok = await gql('{ secret }', await issuer.sign({ role: 'admin' }));
    expect(ok.body).toEqual({ data: { secret: 'classified' } });
  });
});
