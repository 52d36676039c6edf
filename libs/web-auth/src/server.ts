export { createServerApiClient, type ServerApiClientOptions } from './server-api-client.js';
export {
  ApiError,
  isApiError,
  toApiError,
  type ApiErrorInit,
  type ApiErrorKind,
  type ApiFieldError,
} from './api-error.js';
