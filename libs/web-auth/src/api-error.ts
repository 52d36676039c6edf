import axios from 'axios';

/** What went wrong, coarse enough for the UI to pick a message or a screen. */
export type ApiErrorKind =
  /** No response: offline, DNS, refused connection, timeout, or the token could not be fetched. */
  | 'network'
  /** The request was aborted by the caller (AbortController); usually nothing to show. */
  | 'cancelled'
  /** 401: no valid session or token. */
  | 'unauthenticated'
  /** 403: signed in, but not allowed. */
  | 'forbidden'
  /** 404 */
  | 'not_found'
  /** 400 or 422: the input was refused; see `messages` and `fieldErrors`. */
  | 'validation'
  /** 409 */
  | 'conflict'
  /** 429 */
  | 'rate_limited'
  /** 5xx */
  | 'server'
  /** Any other status. */
  | 'unknown';

/** One refused field, as the API reports it in `errors` of a 400 body. */
export interface ApiFieldError {
  field: string;
  rule?: string;
  message: string;
}

/** Constructor input of {@link ApiError}. */
export interface ApiErrorInit {
  kind: ApiErrorKind;
  message: string;
  status?: number | null;
  code?: string | null;
  messages?: string[];
  fieldErrors?: ApiFieldError[];
  data?: unknown;
  cause?: unknown;
}

const DEFAULT_MESSAGES: Record<ApiErrorKind, string> = {
  network: 'Could not reach the server. Check your connection and try again.',
  cancelled: 'The request was cancelled.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  forbidden: 'You do not have permission to do that.',
  not_found: 'Not found.',
  validation: 'Some of the information is not valid.',
  conflict: 'That conflicts with the current state. Reload and try again.',
  rate_limited: 'Too many requests. Wait a moment and try again.',
  server: 'Something went wrong on our side. Try again later.',
  unknown: 'The request failed.',
};

/**
 * Every failure of a client made by this package, in a shape the UI can show.
 *
 * `message` is human-readable: the API's JSON `message` (a string[] is joined with "; ", each
 * entry kept in `messages`), or a sensible default for the `kind`.
 *
 * @example
 * try {
 *   await api.post('/tasks', input);
 * } catch (error) {
 *   if (isApiError(error) && error.kind === 'validation') setErrors(error.messages);
 *   else throw error;
 * }
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  /** HTTP status, `null` when no response arrived. */
  readonly status: number | null;
  /** Machine-readable code: the body's `code` or `error`, else axios's code (e.g. `ECONNREFUSED`). */
  readonly code: string | null;
  /** Every message the API gave (one entry per problem), or `[message]`. */
  readonly messages: string[];
  /** The `errors` array of a validation body, if any. */
  readonly fieldErrors: ApiFieldError[];
  /** The raw response body. */
  readonly data: unknown;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.messages = init.messages ?? [init.message];
    this.fieldErrors = init.fieldErrors ?? [];
    this.data = init.data;
  }
}

/**
 * Type guard for {@link ApiError}; also true for an ApiError from another copy of this package.
 *
 * @example
 * if (isApiError(error) && error.status === 404) notFound();
 */
export function isApiError(value: unknown): value is ApiError {
  return (
    value instanceof ApiError ||
    (value instanceof Error &&
      value.name === 'ApiError' &&
      typeof (value as Partial<ApiError>).kind === 'string')
  );
}

/** The kind an HTTP status maps to. */
export function kindOfStatus(status: number): ApiErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 422) return 'validation';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'unknown';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

// Nest's bare exceptions say only the reason phrase; the kind's default reads better.
const REASON_PHRASES = new Set([
  'bad request',
  'unauthorized',
  'forbidden',
  'not found',
  'conflict',
  'too many requests',
  'internal server error',
  'bad gateway',
  'service unavailable',
  'gateway timeout',
]);

const readable = (value: unknown): value is string =>
  nonEmptyString(value) && !REASON_PHRASES.has(value.trim().toLowerCase());

function messagesOf(body: unknown): string[] {
  // A plain-text body is shown only if it is short and not an HTML error page.
  if (typeof body === 'string')
    return readable(body) && body.length <= 300 && !body.includes('<') ? [body] : [];
  if (!isRecord(body)) return [];
  const { message } = body;
  if (typeof message === 'string') return readable(message) ? [message] : [];
  if (Array.isArray(message)) return message.filter(readable);
  return [];
}

function fieldErrorsOf(body: unknown): ApiFieldError[] {
  if (!isRecord(body) || !Array.isArray(body.errors)) return [];
  return body.errors.filter(
    (entry): entry is ApiFieldError =>
      isRecord(entry) && typeof entry.field === 'string' && typeof entry.message === 'string',
  );
}

function codeOf(body: unknown): string | null {
  if (!isRecord(body)) return null;
  if (nonEmptyString(body.code)) return body.code;
  if (nonEmptyString(body.error)) return body.error;
  return null;
}

/**
 * Turns anything a request can throw into an {@link ApiError} (an ApiError passes through).
 *
 * @example
 * const error = toApiError(thrown);
 * showToast(error.message);
 */
export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;

  if (axios.isCancel(error)) {
    return new ApiError({
      kind: 'cancelled',
      message: DEFAULT_MESSAGES.cancelled,
      code: 'ERR_CANCELED',
      cause: error,
    });
  }

  if (axios.isAxiosError(error)) {
    const response = error.response;
    if (!response) {
      return new ApiError({
        kind: 'network',
        message: DEFAULT_MESSAGES.network,
        code: error.code ?? null,
        cause: error,
      });
    }
    const kind = kindOfStatus(response.status);
    const messages = messagesOf(response.data);
    const message = messages.length > 0 ? messages.join('; ') : DEFAULT_MESSAGES[kind];
    return new ApiError({
      kind,
      status: response.status,
      code: codeOf(response.data) ?? error.code ?? null,
      message,
      messages: messages.length > 0 ? messages : [message],
      fieldErrors: fieldErrorsOf(response.data),
      data: response.data,
      cause: error,
    });
  }

  return new ApiError({ kind: 'unknown', message: DEFAULT_MESSAGES.unknown, cause: error });
}

/** The token could not be fetched, so the request was never sent. */
export function tokenFetchError(cause: unknown): ApiError {
  return new ApiError({
    kind: 'network',
    message: DEFAULT_MESSAGES.network,
    code: 'TOKEN_FETCH_FAILED',
    cause,
  });
}

/**
 * The rejection of an API request the client did not send because there is no session (the
 * token manager has no token): kind `unauthenticated`, code `NO_SESSION`, no status.
 */
export function noSessionError(): ApiError {
  return new ApiError({
    kind: 'unauthenticated',
    message: DEFAULT_MESSAGES.unauthenticated,
    code: 'NO_SESSION',
  });
}
