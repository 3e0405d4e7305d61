import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { expect } from 'chai';
import type { Router } from 'express';
import { AgentDirectory } from '../../src/agent/agent-directory.js';
import { createAgentRouter } from '../../src/agent/agent-router.js';
import { createSupervisorRouter } from '../../src/agent/supervisor-router.js';
import { createAnalyticsRouter } from '../../src/analytics/analytics-router.js';
import { createTeachRouter } from '../../src/analytics/teach/teach-router.js';
import { createErasureRouter } from '../../src/http/erasure-router.js';
import { projectRoot } from '../../src/project-root.js';

const DOCUMENT = join(projectRoot(), 'src', 'agent', 'openapi.json');

interface Operation {
  operationId?: string;
  security?: unknown[];
}
type Document = { paths: Record<string, Record<string, Operation>>; security?: unknown[] };

/** METHOD /path of every API route a router serves (pages and static assets are not API). */
function apiRoutes(router: Router): string[] {
  const stack = (router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack;
  return stack
    .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => `${method} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`) : []))
    .filter((route) => / \/(api|admin)\//.test(route));
}

describe('OpenAPI document (/openapi.json)', () => {
  const document = JSON.parse(readFileSync(DOCUMENT, 'utf8')) as Document;

  it('passes the Redocly linter\'s recommended rules, but for answers that are truthfully not 2xx or 4xx', async function () {
    this.timeout(30_000);
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: readFileSync(DOCUMENT, 'utf8'), absoluteRef: DOCUMENT, config });
    // The WebSocket upgrade answers 101, the single sign-on steps and the dashboard login redirect (302, 303), and the SSO status cannot fail.
    expect(problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}`)).to.have.members([
      'warn operation-2xx-response #/paths/~1api~1agent~1stream/get/responses',
      'warn operation-2xx-response #/paths/~1dashboard~1login/post/responses',
      'warn operation-4xx-response #/paths/~1api~1agent~1oidc/get/responses',
      'warn operation-2xx-response #/paths/~1api~1agent~1oidc~1login/get/responses',
      'warn operation-2xx-response #/paths/~1api~1agent~1oidc~1callback/get/responses',
    ]);
  });

  it('describes every agent, supervisor, erasure, analytics and teach route, each with a unique operationId and its security', () => {
    const fake = {} as never;
    const deps = { service: fake, agents: new AgentDirectory([]), tokens: fake, inbox: fake, views: fake, bodyLimitBytes: 1024, assetsDir: '' };
    const routes = [
      ...apiRoutes(createAgentRouter({ ...deps, loginGuard: fake })),
      ...apiRoutes(createSupervisorRouter(deps)),
      ...apiRoutes(createErasureRouter(undefined, fake, () => [])),
      ...apiRoutes(createAnalyticsRouter({ adminToken: undefined, loginGuard: fake, queries: fake, store: fake, writer: fake, prometheus: fake, publicDir: join(projectRoot(), 'src', 'analytics', 'public'), queueStats: fake, now: Date.now, secureCookies: false, keys: fake })),
      ...apiRoutes(createTeachRouter({ teach: fake, admin: (_req, _res, next) => next(), range: fake })),
    ];
    expect(routes.length).to.be.greaterThan(20);
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(routes.filter((route) => !documented.includes(route))).to.deep.equal([]);
    const operations = Object.values(document.paths).flatMap((ops) => Object.values(ops));
    const ids = operations.map((op) => op.operationId);
    expect(ids.filter((id) => !id)).to.deep.equal([]);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(operations.filter((op) => !Array.isArray(op.security ?? document.security))).to.deep.equal([]);
  });
});
