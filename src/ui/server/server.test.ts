import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { TunekitError } from '../../errors.ts';
import type { UiData } from './data.ts';
import { COOKIE, CSRF_HEADER } from './security.ts';
import { startUiServer, type UiServer } from './server.ts';

/** The dashboard's access rules, over HTTP as a browser (or another local program) would speak it. */

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  ui: UiServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: ui.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${ui.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const calls: string[] = [];
const data: UiData = {
  project: 'demo',
  runs: async (limit, next) => {
    calls.push(`runs ${limit} ${next}`);
    return { runs: [{ name: 's3-train-1', status: 'SUCCEEDED' }], nextToken: 'page-2' };
  },
  run: async (name) => {
    throw new TunekitError('PIPELINE.NO_RUN', `no run ${name}`, {
      hint: 'list runs with `tunekit runs list`',
    });
  },
  pipeline: async () => ({
    startAt: 'A',
    nodes: [
      { name: 'A', type: 'Pass' },
      { name: 'B', type: 'Succeed' },
    ],
    edges: [{ from: 'A', to: 'B', kind: 'next' }],
  }),
  evaluation: async () => {
    throw new Error('unused');
  },
  registry: async () => ({ name: 'demo', revision: 0, aliases: {}, versions: [] }),
  history: async () => [],
  version: async (ref) => {
    calls.push(`version ${ref}`);
    throw new TunekitError('REGISTRY.UNKNOWN_VERSION', `version ${ref} does not exist`, {
      hint: 'registered versions: v1.0',
    });
  },
  compare: async (a, b) => {
    calls.push(`compare ${a} ${b}`);
    throw new TunekitError('REGISTRY.NO_REPORT', `${a} has no evaluation report to compare`, {
      hint: 'compare versions the pipeline registered',
    });
  },
  productionCost: async (to) => ({
    enabled: false,
    to: { version: to, mode: 'x', hourly: { usd: 0, basis: '', source: '' } },
  }),
  money: async (maxAge) => {
    calls.push(`money ${maxAge}`);
    return {
      project: 'demo',
      resources: [],
      perHour: { knownUsd: 0, unknown: 0 },
      janitorMaxAgeMinutes: maxAge ?? 360,
      janitorWouldSavePerHourUsd: 0,
      checkedAt: '2026-12-04T00:00:00.000Z',
    };
  },
  promote: async (version, reason) => {
    calls.push(`promote ${version} ${reason}`);
    return { changed: true, production: version, previous: undefined, event: undefined };
  },
  rollback: async () => {
    calls.push('rollback');
    return { changed: true, production: 'v1.0', previous: undefined, event: undefined };
  },
  trainingData: async () => ({ bucket: 'b', prefix: 'training-data/', suffix: '.jsonl', objects: [] }),
  start: async (key, force) => {
    calls.push(`start ${key} ${force}`);
    return { name: 'manual-1', started: true, executionArn: 'arn:x', data: `s3://b/${key}`, reason: null };
  },
  stop: async (run, cause) => {
    calls.push(`stop ${run} ${cause}`);
    return { deleted: [] };
  },
};
const bundle = { dir: '', files: { 'app.js': { body: Buffer.from('// app'), type: 'text/javascript' } } };

let ui: UiServer | undefined;
const start = async (readOnly = false) => {
  calls.length = 0;
  ui = await startUiServer({ data, bundle, readOnly, source: 'test' });
  return ui;
};
afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

const cookie = (u: UiServer) => `${COOKIE}=${u.session.token}`;
const promoteBody = JSON.stringify({ version: 'v1.1', reason: 'better answers' });

describe('tunekit ui access rules', () => {
  it('listens on 127.0.0.1 and prints a URL with a long random token', async () => {
    const u = await start();
    expect(u.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(u.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${u.port}/\\?token=[0-9a-f]{48}$`));
  });

  it('refuses a request without the token with a readable page, and one with a wrong token', async () => {
    const u = await start();
    const page = await send(u, '/');
    expect(page.status).toBe(403);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('Token required');
    expect(page.body).toContain('tunekit ui');
    const api = await send(u, '/api/runs');
    expect(api.status).toBe(403);
    expect(JSON.parse(api.body).error.fix).toMatch(/token/);
    expect((await send(u, `/api/runs?token=${'0'.repeat(48)}`)).status).toBe(403);
    expect((await send(u, '/api/runs', { headers: { cookie: `${COOKIE}=nope` } })).status).toBe(403);
  });

  it('trades the URL token for an HttpOnly SameSite=Strict cookie, then serves with the cookie alone', async () => {
    const u = await start();
    const first = await send(u, `/?token=${u.session.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const set = String(first.headers['set-cookie']);
    expect(set).toContain(`${COOKIE}=${u.session.token}`);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    const page = await send(u, '/', { headers: { cookie: cookie(u) } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`content="${u.session.csrf}"`);
    const runs = await send(u, '/api/runs', { headers: { cookie: cookie(u) } });
    expect(runs.status).toBe(200);
    expect(JSON.parse(runs.body).runs[0].name).toBe('s3-train-1');
  });

  it('refuses a Host other than 127.0.0.1/localhost on its port, even with the token (DNS rebinding)', async () => {
    const u = await start();
    for (const host of ['evil.example:' + u.port, `127.0.0.1:${u.port + 1}`, '127.0.0.1']) {
      const r = await send(u, `/api/runs?token=${u.session.token}`, { headers: { host } });
      expect(r.status, host).toBe(403);
      expect(JSON.parse(r.body).error.message).toMatch(/Wrong host/);
    }
    const local = await send(u, '/api/runs', { headers: { host: `localhost:${u.port}`, cookie: cookie(u) } });
    expect(local.status).toBe(200);
  });

  it('acts only on a POST with the CSRF token, and passes the reason on', async () => {
    const u = await start();
    const noCsrf = await send(u, '/api/actions/promote', {
      method: 'POST',
      headers: { cookie: cookie(u), 'content-type': 'application/json' },
      body: promoteBody,
    });
    expect(noCsrf.status).toBe(403);
    expect(JSON.parse(noCsrf.body).error.message).toMatch(/CSRF/);
    const wrong = await send(u, '/api/actions/promote', {
      method: 'POST',
      headers: { cookie: cookie(u), [CSRF_HEADER]: 'x'.repeat(48) },
      body: promoteBody,
    });
    expect(wrong.status).toBe(403);
    const asGet = await send(u, '/api/actions/promote', { headers: { cookie: cookie(u) } });
    expect(asGet.status).toBe(405);
    expect(calls).toEqual([]);
    const noReason = await send(u, '/api/actions/promote', {
      method: 'POST',
      headers: { cookie: cookie(u), [CSRF_HEADER]: u.session.csrf },
      body: JSON.stringify({ version: 'v1.1' }),
    });
    expect(noReason.status).toBe(400);
    expect(JSON.parse(noReason.body).error).toMatchObject({ message: 'a reason is required' });
    const ok = await send(u, '/api/actions/promote', {
      method: 'POST',
      headers: { cookie: cookie(u), [CSRF_HEADER]: u.session.csrf },
      body: promoteBody,
    });
    expect(ok.status).toBe(200);
    expect(calls).toEqual(['promote v1.1 better answers']);
  });

  it('stops a run only with the CSRF token, passing the run and the cause', async () => {
    const u = await start();
    const body = JSON.stringify({ run: 's3-train-1', reason: 'wrong data' });
    const noCsrf = await send(u, '/api/actions/stop', {
      method: 'POST',
      headers: { cookie: cookie(u) },
      body,
    });
    expect(noCsrf.status).toBe(403);
    expect(calls).toEqual([]);
    const ok = await send(u, '/api/actions/stop', {
      method: 'POST',
      headers: { cookie: cookie(u), [CSRF_HEADER]: u.session.csrf },
      body,
    });
    expect(ok.status).toBe(200);
    expect(calls).toEqual(['stop s3-train-1 wrong data']);
    const unknown = await send(u, '/api/actions/delete-everything', {
      method: 'POST',
      headers: { cookie: cookie(u), [CSRF_HEADER]: u.session.csrf },
      body,
    });
    expect(unknown.status).toBe(404);
  });

  it('--read-only tells the app and refuses every action, CSRF token or not', async () => {
    const u = await start(true);
    const page = await send(u, '/', { headers: { cookie: cookie(u) } });
    expect(page.body).toContain('name="tunekit-read-only" content="true"');
    for (const action of ['promote', 'rollback', 'stop', 'run']) {
      const r = await send(u, `/api/actions/${action}`, {
        method: 'POST',
        headers: { cookie: cookie(u), [CSRF_HEADER]: u.session.csrf },
        body: JSON.stringify({ version: 'v1.1', run: 'r', reason: 'why', key: 'training-data/a.jsonl' }),
      });
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body).error.message).toMatch(/read-only/);
    }
    expect(calls).toEqual([]);
    expect((await send(u, '/api/registry', { headers: { cookie: cookie(u) } })).status).toBe(200);
  });

  it('answers a library error with its message and fix (what the page shows)', async () => {
    const u = await start();
    const r = await send(u, '/api/runs/missing', { headers: { cookie: cookie(u) } });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body).error).toEqual({
      code: 'PIPELINE.NO_RUN',
      message: 'no run missing',
      fix: 'list runs with `tunekit runs list`',
    });
  });

  it('compares two versions only when both are named, and passes a library refusal on with its fix', async () => {
    const u = await start();
    const one = await send(u, '/api/compare?a=v1.0', { headers: { cookie: cookie(u) } });
    expect(one.status).toBe(400);
    expect(JSON.parse(one.body).error).toMatchObject({
      message: 'compare needs two versions, got a="v1.0" b=(none)',
      fix: expect.stringMatching(/\/api\/compare\?a=v1\.0&b=v1\.1/),
    });
    expect(calls).toEqual([]);
    const r = await send(u, '/api/compare?a=v1.0&b=production', { headers: { cookie: cookie(u) } });
    expect(calls).toEqual(['compare v1.0 production']);
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body).error).toMatchObject({
      code: 'REGISTRY.NO_REPORT',
      fix: 'compare versions the pipeline registered',
    });
  });

  it('money: passes the janitor age on and refuses one that is not whole minutes, with a fix', async () => {
    const u = await start();
    const ok = await send(u, '/api/money?maxAge=0', { headers: { cookie: cookie(u) } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).janitorMaxAgeMinutes).toBe(0);
    await send(u, '/api/money', { headers: { cookie: cookie(u) } });
    expect(calls).toEqual(['money 0', 'money undefined']);
    const bad = await send(u, '/api/money?maxAge=-5', { headers: { cookie: cookie(u) } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({
      message: 'maxAge must be whole minutes from 0 to 10080, got "-5"',
      fix: expect.stringMatching(/maxAge=360/),
    });
    expect((await send(u, '/api/registry/cost', { headers: { cookie: cookie(u) } })).status).toBe(400);
    const version = await send(u, '/api/registry/versions/v9.9', { headers: { cookie: cookie(u) } });
    expect(version.status).toBe(404);
    expect(JSON.parse(version.body).error.fix).toBe('registered versions: v1.0');
  });

  it("sends the pipeline's states and transitions for the run page's drawing", async () => {
    const u = await start();
    const r = await send(u, '/api/pipeline', { headers: { cookie: cookie(u) } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).edges).toEqual([{ from: 'A', to: 'B', kind: 'next' }]);
  });

  it('pages the run list with the nextToken it hands out, and bounds the page size', async () => {
    const u = await start();
    const first = await send(u, '/api/runs?limit=50', { headers: { cookie: cookie(u) } });
    expect(JSON.parse(first.body)).toEqual({
      runs: [{ name: 's3-train-1', status: 'SUCCEEDED' }],
      nextToken: 'page-2',
    });
    await send(u, '/api/runs?limit=50&next=page-2', { headers: { cookie: cookie(u) } });
    expect(calls).toEqual(['runs 50 undefined', 'runs 50 page-2']);
    const big = await send(u, '/api/runs?limit=5000', { headers: { cookie: cookie(u) } });
    expect(big.status).toBe(400);
    expect(JSON.parse(big.body).error.message).toBe('limit must be 1..1000, got "5000"');
  });

  it('starts a run only on a POST with the CSRF token, naming the training file', async () => {
    const u = await start();
    const body = JSON.stringify({ key: 'training-data/train.jsonl', force: true });
    const noCsrf = await send(u, '/api/actions/run', {
      method: 'POST',
      headers: { cookie: cookie(u) },
      body,
    });
    expect(noCsrf.status).toBe(403);
    const get = await send(u, '/api/actions/run', {
      headers: { cookie: cookie(u), [CSRF_HEADER]: u.session.csrf },
    });
    expect(get.status).not.toBe(200);
    expect(calls).toEqual([]);
    const missing = await send(u, '/api/actions/run', {
      method: 'POST',
      headers: { cookie: cookie(u), [CSRF_HEADER]: u.session.csrf },
      body: '{}',
    });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).error.message).toBe('which training file? "key" is missing');
    const ok = await send(u, '/api/actions/run', {
      method: 'POST',
      headers: { cookie: cookie(u), [CSRF_HEADER]: u.session.csrf },
      body,
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ name: 'manual-1', started: true });
    expect(calls).toEqual(['start training-data/train.jsonl true']);
  });
});
