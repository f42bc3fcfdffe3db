import { IDataflow } from './api';
import { DataflowList, PAGE_SIZE } from './flows';

/** 450 dataflows, as a provider's list would hold them, served page by page like the server does. */
const FLOWS: IDataflow[] = Array.from({ length: 450 }, (_, i) => ({
  id: `FLOW_${String(i).padStart(3, '0')}`,
  agency: 'ESTAT',
  version: '1.0',
  name: i % 3 === 0 ? `Exchange rates ${i}` : `Government finance ${i}`,
  structure_id: `DSD_${i}`
}));

function pagedList() {
  const requests: { search: string; offset: number }[] = [];
  const list = new DataflowList(async (search, offset, limit) => {
    requests.push({ search, offset });
    const hits = FLOWS.filter(f =>
      `${f.id} ${f.name}`.toLowerCase().includes(search.toLowerCase())
    );
    return {
      total: hits.length,
      dataflows: hits.slice(offset, offset + limit)
    };
  });
  return { list, requests };
}

describe('the dataflow list', () => {
  it('loads the first page only, then the pages scrolled to', async () => {
    const { list, requests } = pagedList();
    await list.setSearch('');
    expect(list.total).toBe(450);
    expect(list.at(0)?.id).toBe('FLOW_000');
    expect(list.at(PAGE_SIZE)).toBeUndefined();
    await list.ensure(410, 440);
    expect(list.at(449)?.id).toBe('FLOW_449');
    expect(requests.map(r => r.offset)).toEqual([0, 400]);
    await list.ensure(0, 10);
    expect(requests).toHaveLength(2);
  });

  it('starts over when the search changes and ignores answers to the old search', async () => {
    const { list } = pagedList();
    const stale = list.setSearch('government');
    await list.setSearch('exchange');
    await stale;
    expect(list.search).toBe('exchange');
    expect(list.total).toBe(150);
    expect(list.at(0)?.name).toBe('Exchange rates 0');
  });

  it('keeps the reason when a page cannot be loaded, and retries', async () => {
    let fail = true;
    const list = new DataflowList(async () => {
      if (fail) {
        throw new Error('The provider did not answer');
      }
      return { total: 1, dataflows: FLOWS.slice(0, 1) };
    });
    await list.setSearch('');
    expect(list.error?.message).toBe('The provider did not answer');
    fail = false;
    await list.retry();
    expect(list.error).toBeNull();
    expect(list.total).toBe(1);
  });
});
