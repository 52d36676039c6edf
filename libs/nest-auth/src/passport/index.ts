// @authbridge/nest-auth/passport: the `better-auth` Passport strategy (passport is an optional peer).
export {
  BetterAuthStrategy,
  BetterAuthJwtStrategy,
  type BetterAuthJwtStrategyOptions,
} from './better-auth.strategy';
