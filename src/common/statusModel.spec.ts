import { ServerConnection } from '@jupyterlab/services';

import { StatusModel, StatusState } from './statusModel';

function settings(reply: () => Promise<Response>): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/',
    fetch: () => reply(),
    Request,
    Headers
  } as Partial<ServerConnection.ISettings>);
}

const READY = {
  version: '0.1.0',
  capabilities: {
    data: { configured: true, summary: '3 data sources configured' },
    workflows: {
      configured: false,
      summary: 'No workflow engine configured — see Settings'
    },
    promotion: { configured: true, summary: '1 environment: dev' }
  }
};

describe('StatusModel', () => {
  it('goes from loading to ready and signals each change', async () => {
    const model = new StatusModel(
      settings(() =>
        Promise.resolve(new Response(JSON.stringify(READY), { status: 200 }))
      )
    );
    const seen: string[] = [];
    model.changed.connect((_, state: StatusState) => seen.push(state.kind));
    await model.refresh();
    expect(seen).toEqual(['loading', 'ready']);
    expect(model.state.kind === 'ready' && model.state.reply).toEqual(READY);
  });

  it('keeps showing the last status while a periodic refresh is under way', async () => {
    const model = new StatusModel(
      settings(() =>
        Promise.resolve(new Response(JSON.stringify(READY), { status: 200 }))
      )
    );
    await model.refresh();
    const seen: string[] = [];
    model.changed.connect((_, state: StatusState) => seen.push(state.kind));
    await model.refresh();
    expect(seen).toEqual(['ready']);
  });

  it('fails with the reason when the server extension is missing', async () => {
    const model = new StatusModel(
      settings(() =>
        Promise.resolve(new Response('Not Found', { status: 404 }))
      )
    );
    await model.refresh();
    expect(model.state.kind).toBe('failed');
    if (model.state.kind === 'failed') {
      expect(model.state.error.isServerMissing).toBe(true);
    }
  });
});
