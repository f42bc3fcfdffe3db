import { IRun, IRunPage, IRunQuery } from './api';
import { RunsModel } from './runsModel';

const run = (id: string, status: IRun['status'], key = 'p'): IRun => ({
  id,
  definition_id: `${key}:1:x`,
  definition_key: key,
  status,
  business_key: null,
  definition_name: key,
  definition_version: 1,
  started_at: null,
  ended_at: null,
  duration: null,
  end_activity_id: null
});

const page = (items: IRun[]): IRunPage => ({
  items,
  total: items.length,
  first: 0,
  max_results: 100
});

/** A server whose answers the test changes; counts calls. */
class Server {
  mine: IRun[] = [];
  all: IRun[] = [];
  failing = false;
  calls = 0;
  definitions = async () => {
    this.calls++;
    if (this.failing) {
      throw new Error('The workflow engine is unreachable.');
    }
    return [];
  };
  runs = async (q: IRunQuery) => {
    if (this.failing) {
      throw new Error('The workflow engine is unreachable.');
    }
    const items = q.scope === 'mine' ? this.mine : this.all;
    return page(q.status ? items.filter(r => r.status === q.status) : items);
  };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('RunsModel', () => {
  it('announces my runs that end, not the ones already over when first seen', async () => {
    const server = new Server();
    server.mine = [run('old', 'completed'), run('a', 'running')];
    server.all = server.mine;
    const model = new RunsModel(server);
    const ended: string[] = [];
    model.finished.connect((_, r) => ended.push(`${r.id}:${r.status}`));
    await model.refresh();
    expect(ended).toEqual([]);
    server.mine = [run('old', 'completed'), run('a', 'incident')];
    server.all = server.mine;
    await model.refresh();
    expect(ended).toEqual(['a:incident']);
    await model.refresh();
    expect(ended).toEqual(['a:incident']);
    model.dispose();
  });

  it('announces a run I started even when it ended before the first look', async () => {
    const server = new Server();
    const model = new RunsModel(server);
    const ended: string[] = [];
    model.finished.connect((_, r) => ended.push(r.id));
    model.track(run('quick', 'running'));
    server.mine = [run('quick', 'completed')];
    await model.refresh();
    expect(ended).toEqual(['quick']);
    model.dispose();
  });

  it('filters by status and gives each definition its newest run', async () => {
    const server = new Server();
    server.all = [
      run('3', 'running', 'p'),
      run('2', 'incident', 'q'),
      run('1', 'completed', 'p')
    ];
    const model = new RunsModel(server);
    await model.refresh();
    expect(model.lastRun.p.id).toBe('3');
    expect(model.lastRun.q.status).toBe('incident');
    model.setFilter({ status: 'incident' });
    await model.refresh();
    expect(model.runs.map(r => r.id)).toEqual(['2']);
    expect(model.lastRun.p.id).toBe('3');
    model.dispose();
  });

  it('backs off while the server fails and returns to its pace when it answers', async () => {
    const server = new Server();
    server.failing = true;
    const model = new RunsModel(server, { interval: 20, max: 400 });
    model.setVisible(true);
    model.start();
    await sleep(300);
    expect(model.error?.message).toBe('The workflow engine is unreachable.');
    expect(model.poll.state.interval).toBeGreaterThan(20);
    const failedCalls = server.calls;
    // Backing off: far fewer calls than 300 ms / 20 ms.
    expect(failedCalls).toBeLessThan(10);
    server.failing = false;
    await model.poll.refresh();
    await model.poll.tick;
    await sleep(50);
    expect(model.error).toBeNull();
    expect(model.poll.state.interval).toBe(20);
    model.dispose();
  });

  it('stands by while the panel is hidden and none of my runs is going', async () => {
    const server = new Server();
    const model = new RunsModel(server, { interval: 20, max: 400 });
    model.setVisible(true);
    model.start();
    await sleep(120);
    expect(server.calls).toBeGreaterThan(2);
    model.setVisible(false);
    await sleep(40);
    const hiddenAt = server.calls;
    await sleep(150);
    expect(server.calls).toBe(hiddenAt);
    // A run of mine going on keeps the poll awake, so its end is announced.
    model.track(run('mine', 'running'));
    await sleep(150);
    expect(server.calls).toBeGreaterThan(hiddenAt + 2);
    model.dispose();
  });
});
