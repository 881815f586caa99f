/** Health, the OpenAPI document, the variant endpoints and case listing over real HTTP, on each database. */
import { builtInVariant } from '../../libs/process/src';
import { apiStack, requirePostgresInCi, testDatabases, users, type ApiStack } from '../support/api-stack';
import { agreement } from '../support/scenarios';
import { openCase } from './http-case';

jest.setTimeout(180_000);
requirePostgresInCi();

/** Every endpoint of product.md's table, as OpenAPI paths. */
const contractPaths = {
  '/health': ['get'],
  '/variants': ['get'],
  '/variants/schema': ['get'],
  '/variants/{key}/versions': ['post'],
  '/variants/{key}/versions/{v}': ['get'],
  '/variants/{key}/versions/{v}/diagram': ['get'],
  '/cases': ['get', 'post'],
  '/cases/{id}': ['get'],
  '/cases/{id}/events': ['post'],
  '/cases/{id}/history': ['get'],
  '/cases/{id}/state': ['get'],
  '/cases/{id}/verify': ['post'],
  '/tasks': ['get'],
  '/audit/access-log': ['get'],
};

describe.each(testDatabases())('API surface on $name', (database) => {
  let stack: ApiStack;
  beforeAll(async () => {
    stack = await apiStack(database);
  });
  afterAll(() => stack?.stop());

  it('GET /health reports every part up', async () => {
    const health = await stack.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok', api: 'up', database: 'up', temporal: 'up' });
  });

  describe('OpenAPI', () => {
    it('lists every endpoint of the contract, with the bearer scheme and error answers', async () => {
      const doc = (await stack.request('GET', '/docs-json')).json;
      for (const [path, methods] of Object.entries(contractPaths)) {
        for (const method of methods)
          expect([path, method, Boolean(doc.paths[path]?.[method])]).toEqual([path, method, true]);
      }
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const events = doc.paths['/cases/{id}/events'].post;
      expect(Object.keys(events.responses).sort()).toEqual([
        '200',
        '400',
        '401',
        '403',
        '404',
        '409',
        '422',
        '500',
        '503',
      ]);
      expect(events.security).toEqual([{ bearer: [] }]);
      expect(events.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['id', 'Idempotency-Key']),
      );
      expect(doc.paths['/health'].get.security).toBeUndefined();
      for (const [path, operations] of Object.entries(
        doc.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>,
      )) {
        for (const [method, operation] of Object.entries(operations)) {
          const names = (operation.parameters ?? []).map((p) => `${p.in}:${p.name}`);
          expect([path, method, names]).toEqual([path, method, [...new Set(names)]]);
        }
      }
      // Bodies and answers come from the zod schemas.
      expect(JSON.stringify(doc.components.schemas)).toContain('agreement.recorded');
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining(['CaseViewDto', 'ErrorDto', 'VariantConfigDto']),
      );
    });

    it('serves Swagger UI at /docs', async () => {
      const ui = await stack.request('GET', '/docs');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    });
  });

  describe('variants', () => {
    it('lists the built-in variants, page by page', async () => {
      const all = await stack.request('GET', '/variants', { as: users.auditor });
      expect(all.status).toBe(200);
      expect(all.json.items.map((v: { key: string }) => v.key)).toEqual(
        expect.arrayContaining(['acute', 'fgc', 'network-mapping', 'network-meeting']),
      );
      expect(all.json.items.find((v: { key: string }) => v.key === 'fgc')).toEqual({
        key: 'fgc',
        template: 'fgc',
        labels: builtInVariant('fgc').labels,
        latestVersion: expect.any(Number),
      });
      const keys: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { json: { items: { key: string }[]; nextCursor: string | null } } = await stack.request(
          'GET',
          `/variants?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          { as: users.cw1 },
        );
        keys.push(...page.json.items.map((v) => v.key));
        cursor = page.json.nextCursor;
      } while (cursor);
      expect(keys).toEqual(all.json.items.map((v: { key: string }) => v.key));
    });

    it('serves the JSON Schema, a version that can be posted back, and its diagram', async () => {
      const schema = await stack.request('GET', '/variants/schema', { as: users.co1 });
      expect(schema.status).toBe(200);
      expect(JSON.stringify(schema.json)).toContain('conferenceWithin');

      const v1 = await stack.request('GET', '/variants/acute/versions/1', { as: users.co1 });
      expect(v1.json).toEqual(builtInVariant('acute'));
      const published = await stack.request('POST', '/variants/acute/versions', {
        as: users.co1,
        body: v1.json,
      });
      expect(published.status).toBe(201);
      expect(published.json).toEqual({ ...v1.json, version: published.json.version });
      expect(published.json.version).toBeGreaterThan(1);
      expect(
        (await stack.request('GET', `/variants/acute/versions/${published.json.version}`, { as: users.cw1 }))
          .json,
      ).toEqual(published.json);

      const diagram = await stack.request('GET', '/variants/acute/versions/1/diagram', { as: users.auditor });
      expect(diagram.status).toBe(200);
      expect(diagram.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(diagram.text).toContain('stateDiagram-v2');
      expect(diagram.text).toContain('privateDeliberation');
    });

    it('creates a key with its first publish, ignores the version sent and takes the key from the path', async () => {
      const { key: _key, version: _version, ...config } = builtInVariant('network-meeting');
      const first = await stack.request('POST', '/variants/school-network/versions', {
        as: users.co2,
        body: { ...config, version: 42 },
      });
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({ key: 'school-network', version: 1 });
      const second = await stack.request('POST', '/variants/school-network/versions', {
        as: users.co2,
        body: { ...config, key: 'school-network' },
      });
      expect(second.json.version).toBe(2);
      const opened = await openCase(stack.request, 'school-network', users.cw1, 1);
      expect(opened.variant).toEqual({ key: 'school-network', version: 1 });
      expect((await openCase(stack.request, 'school-network')).variant).toEqual({
        key: 'school-network',
        version: 2,
      });
    });
  });

  describe('cases', () => {
    let mine: string[];
    beforeAll(async () => {
      // cw1 (north) opens three, cw2 (north) one, cw3 (south) one.
      mine = [];
      for (const variant of ['fgc', 'network-meeting', 'acute'])
        mine.push((await openCase(stack.request, variant)).id);
      await openCase(stack.request, 'fgc', users.cw2);
      await openCase(stack.request, 'fgc', { sub: 'cw3', roles: ['caseworker'], unit: 'south' });
      const answer = await stack.request('POST', `/cases/${mine[0]}/events`, {
        as: users.cw1,
        body: { type: 'agreement.recorded', ...agreement },
      });
      expect(answer.status).toBe(200);
      await stack.request('POST', `/cases/${mine[0]}/events`, {
        as: users.cw1,
        body: { type: 'coordinator.assigned', coordinatorId: 'co1', unit: 'south' },
      });
    });

    const ids = async (path: string, as: (typeof users)[keyof typeof users]) => {
      const answer = await stack.request('GET', path, { as });
      expect(answer.status).toBe(200);
      return answer.json.items.map((c: { id: string }) => c.id) as string[];
    };

    it('lists what each caller may see, newest change first, without participants, plan or promises', async () => {
      const listed = await stack.request('GET', '/cases', { as: users.cw1 });
      expect(
        listed.json.items.map((c: { id: string }) => c.id).filter((id: string) => mine.includes(id)),
      ).toEqual([mine[0], mine[2], mine[1]]);
      expect(
        listed.json.items.every((c: { caseworker: { sub: string } }) => c.caseworker.sub === 'cw1'),
      ).toBe(true);
      expect(Object.keys(listed.json.items[0]).sort()).toEqual(
        [
          'allowedEvents',
          'caseworker',
          'closedReason',
          'coordinators',
          'deadlines',
          'id',
          'lastSeq',
          'nextMeetingAt',
          'phase',
          'state',
          'updatedAt',
          'variant',
        ].sort(),
      );
      expect(await ids('/cases', users.co1)).toEqual([mine[0]]);
      expect(await ids('/cases', users.co3)).toEqual([]);
      const north = await ids('/cases', users.supNorth);
      expect(north).toEqual(expect.arrayContaining(mine));
      const south = await ids('/cases', users.supSouth);
      expect(south.some((id) => mine.includes(id))).toBe(false);
      expect(south.length).toBeGreaterThanOrEqual(1);
      expect((await ids('/cases', users.auditor)).length).toBeGreaterThanOrEqual(north.length + south.length);
    });

    it('filters by phase, variant and overdue', async () => {
      expect(await ids('/cases?variant=network-meeting', users.cw1)).toEqual([mine[1]]);
      expect((await ids('/cases?phase=preparation', users.cw1)).sort()).toEqual(expect.arrayContaining(mine));
      expect(await ids('/cases?phase=closed', users.cw1)).toEqual([]);
      expect(await ids('/cases?overdue=true', users.cw1)).toEqual([]);
      expect((await ids('/cases?overdue=false', users.cw1)).length).toBeGreaterThanOrEqual(3);
    });

    it('pages with a cursor that survives new cases', async () => {
      const everything = await ids('/cases?limit=1000', users.auditor);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { json: { items: { id: string }[]; nextCursor: string | null } } = await stack.request(
          'GET',
          `/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { as: users.auditor },
        );
        expect(page.json.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.json.items.map((c) => c.id));
        cursor = page.json.nextCursor;
        if (paged.length === 2) await openCase(stack.request, 'fgc'); // newer than the cursor: not in this walk
      } while (cursor);
      expect(paged).toEqual(everything);
    });

    it('writes one access-log row per case read and per list', async () => {
      const count = async () =>
        Number((await stack.db.query(`SELECT COUNT(*) AS n FROM access_log WHERE sub = 'co1'`))[0].n);
      const before = await count();
      await stack.request('GET', `/cases/${mine[0]}`, { as: users.co1 });
      await stack.request('GET', '/cases', { as: users.co1 });
      expect(await count()).toBe(before + 2);
      const rows = await stack.db.query(
        `SELECT case_id, role, action FROM access_log WHERE sub = 'co1' ORDER BY id DESC LIMIT 2`,
      );
      expect(rows).toEqual([
        { case_id: null, role: 'coordinator', action: 'list' },
        { case_id: mine[0], role: 'coordinator', action: 'view' },
      ]);
    });
  });
});
