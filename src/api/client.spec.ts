import { ServerConnection } from '@jupyterlab/services';

import { DataOpsApiError, requestAPI } from './client';

function settingsAnswering(
  reply: () => Response,
  seen: string[] = []
): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl: 'http://hub.example.org/user/alice/',
    appUrl: '/lab',
    wsUrl: 'ws://hub.example.org/user/alice/',
    fetch: (input: RequestInfo | URL) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return Promise.resolve(reply());
    },
    Request,
    Headers
  } as Partial<ServerConnection.ISettings>);
}

describe('requestAPI', () => {
  it('calls the API under the JupyterHub user prefix and decodes JSON', async () => {
    const seen: string[] = [];
    const settings = settingsAnswering(
      () => new Response(JSON.stringify({ version: '1.2.3' }), { status: 200 }),
      seen
    );
    const body = await requestAPI<{ version: string }>('status', {}, settings);
    expect(body.version).toBe('1.2.3');
    // ServerConnection may append a cache-busting query string.
    expect(seen[0]).toMatch(
      /^http:\/\/hub\.example\.org\/user\/alice\/dataops\/api\/status(\?\d+)?$/
    );
  });

  it("turns the server's JSON error into a DataOpsApiError with its sentence", async () => {
    const settings = settingsAnswering(
      () =>
        new Response(
          JSON.stringify({
            error: 'invalid_input',
            message: "The key 'M..' has 2 positions; EXR has 5 dimensions.",
            details: { key: 'M..' }
          }),
          { status: 400 }
        )
    );
    const failure = requestAPI('sdmx/data', {}, settings);
    await expect(failure).rejects.toBeInstanceOf(DataOpsApiError);
    await expect(failure).rejects.toMatchObject({
      code: 'invalid_input',
      status: 400,
      message: "The key 'M..' has 2 positions; EXR has 5 dimensions.",
      details: { key: 'M..' }
    });
  });

  it('explains that the server extension is missing when the route is an HTML 404', async () => {
    const settings = settingsAnswering(
      () => new Response('<html>404 Not Found</html>', { status: 404 })
    );
    const error = await requestAPI('status', {}, settings).catch(e => e);
    expect(error.code).toBe('extension_missing');
    expect(error.isServerMissing).toBe(true);
    expect(error.message).toContain(
      'jupyter server extension enable jupyterlab_dataops'
    );
  });

  it('reports an unreachable server instead of throwing a TypeError', async () => {
    const settings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:1/',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      Request,
      Headers
    } as Partial<ServerConnection.ISettings>);
    const error = await requestAPI('status', {}, settings).catch(e => e);
    expect(error).toBeInstanceOf(DataOpsApiError);
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('Failed to fetch');
  });
});
