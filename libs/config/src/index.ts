/**
 * `@authbridge/config`: what the web app, the API and the scripts share about configuration.
 * The root .env loader is its own entry point, `@authbridge/config/root-env`.
 */
export {
  BETTER_AUTH_BASE_PATH,
  betterAuthEndpoints,
  type BetterAuthEndpoints,
} from './better-auth';
export {
  betterAuthUrl,
  blankAsUnset,
  flag,
  hasProtocol,
  httpUrl,
  JWT_ALGORITHMS,
  jwtAlgorithm,
  jwtLifetimeSeconds,
  type JwtAlgorithm,
  nodeEnv,
  originList,
  port,
  postgresUrl,
  smtpUrl,
  variable,
} from './env-fields';
export {
  exitOnInvalidEnvironment,
  InvalidEnvironmentError,
  parseEnvironment,
  type Environment,
} from './environment-error';
export { isSecretVariable, shownValue } from './redaction';
