export { createServerApiClient, type ServerApiClientOptions } from './server-api-client.js';
export {
  ApiError,
  isApiError,
  toApiError,
  type ApiErrorInit,
  type ApiErrorKind,
  type ApiFieldError,
} from './api-error.js';
export {
  createPostgresRevocationPublisher,
  postgresRevocationTableSql,
  createRedisRevocationPublisher,
  allRevocationPublishers,
  revocationPlugin,
  type RevocationMessage,
  type RevocationPublisher,
  type RevocationPluginOptions,
  type PostgresRevocationPublisherOptions,
  type RedisRevocationPublisherOptions,
  type SqlQueryable,
  type RedisPublishing,
  type RedisMulti,
} from './revocation-publisher.js';
