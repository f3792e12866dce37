import { openApiDocument } from '../openApiDocument.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';

/** The OpenAPI document, built from the routes declared on this app (register it last, or not: it reads them per request). */
export function registerOpenApiRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add({ method: 'get', path: '/api/openapi.json', summary: 'This document', response: { description: 'OpenAPI document' } }, (c) =>
    c.json(openApiDocument(routes.specs, { version: deps.version, publicRoutes: deps.publicRoutes })),
  );
}
