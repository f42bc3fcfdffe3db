import { isPromotable } from './promotable';

describe('which files Promote accepts', () => {
  it('takes notebooks, steps, processes, artefact files and process configurations', () => {
    for (const path of [
      'analysis.ipynb',
      'steps/load.py',
      'processes/exr.bpmn',
      'metadata/dataconstraints/ECB+EXR_CONSTRAINTS+2.0.0.xml',
      'project/metadata/codelists/ECB+CL_FREQ+1.0.json',
      'processes/exr_daily.toml',
      'processes/exr_daily.schema.json'
    ]) {
      expect([path, isPromotable(path)]).toEqual([path, true]);
    }
  });

  it('refuses other files, and artefacts outside the metadata layout', () => {
    for (const path of [
      'data.csv',
      'ECB+CL_FREQ+1.0.xml',
      'config.toml',
      'x.json'
    ]) {
      expect([path, isPromotable(path)]).toEqual([path, false]);
    }
  });

  it('takes R step modules (.R, .r) and not other files ending in r', () => {
    expect(['steps/load.R', 'steps/load.r'].map(isPromotable)).toEqual([
      true,
      true
    ]);
    expect(['report.Rmd', 'archive.tar'].map(isPromotable)).toEqual([
      false,
      false
    ]);
  });
});
