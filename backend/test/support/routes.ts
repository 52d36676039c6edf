import type { INestApplication } from '@nestjs/common';

export interface DiscoveredRoute {
  method: string;
  /** As the router holds it, global prefix included, e.g. `/api/users/:userId/tasks`. */
  path: string;
  /** Route parameter names, e.g. `['userId', 'taskId']`. */
  params: string[];
}

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * Every route the running app serves, read from Express' router after Nest registered its
 * controllers (and Swagger its document routes). Reading the router rather than a list
 * kept by hand means a route added later is attacked by the suites without anyone
 * remembering to add it.
 */
export function discoverRoutes(app: INestApplication): DiscoveredRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  const routes: DiscoveredRoute[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      for (const [method, enabled] of Object.entries(layer.route.methods)) {
        if (!enabled || method === '_all') continue;
        const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
        routes.push({ method: method.toUpperCase(), path, params });
      }
    }
  }
  return routes;
}

/** Fills `:name` placeholders. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(values[name]);
  });
}
