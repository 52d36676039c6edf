import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';

/** The page's URL in a browser, `undefined` on a server. */
export function currentHref(): string | undefined {
  return typeof window !== 'undefined' && window.location ? window.location.href : undefined;
}

/**
 * The origin of `baseURL`, resolved against the page in a browser so `/api` works too.
 * Throws if it cannot be resolved: without an origin, no request could get a token safely.
 */
export function originOf(baseURL: string): string {
  let url: URL;
  try {
    url = new URL(baseURL, currentHref());
  } catch {
    throw new TypeError(
      `baseURL must be an absolute http(s) URL (or a path, in a browser); got "${baseURL}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseURL must be an http(s) URL; got "${baseURL}"`);
  }
  return url.origin;
}

/**
 * Whether the request will go to `apiOrigin`: the URL axios will really call (per-request
 * `baseURL`, absolute and protocol-relative `url` included) is resolved the way the browser or
 * Node resolves it, and its origin (scheme, host, port) must equal the API's exactly.
 */
export function isRequestToOrigin(
  instance: AxiosInstance,
  config: InternalAxiosRequestConfig,
  apiOrigin: string,
): boolean {
  try {
    return new URL(instance.getUri(config), currentHref()).origin === apiOrigin;
  } catch {
    return false;
  }
}
