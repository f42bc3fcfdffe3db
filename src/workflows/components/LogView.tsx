import { TranslationBundle } from '@jupyterlab/translation';
import {
  Button,
  downloadIcon,
  HTMLSelect,
  InputGroup
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { ILogRecord } from '../api';
import { ILogFilter, LOG_LEVELS, LogBuffer } from '../logBuffer';
import { AnsiText } from './AnsiText';
import { VirtualList } from '../../common/components/VirtualList';

const ROW_HEIGHT = 20;

/** Props of `LogView`. */
export interface ILogViewProps {
  log: LogBuffer;
  /** Name of the downloaded file. */
  fileName: string;
  trans: TranslationBundle;
}

function time(ts: string): string {
  const d = new Date(ts);
  if (isNaN(d.getTime())) {
    return ts;
  }
  const ms = String(d.getMilliseconds()).padStart(3, '0');
  return `${d.toLocaleTimeString([], { hour12: false })}.${ms}`;
}

function LogLine(props: {
  record: ILogRecord;
  timestamps: boolean;
  search: string;
}): JSX.Element {
  const r = props.record;
  return (
    <div
      className="jp-DataOps-wf-logLine"
      data-level={r.level.toUpperCase()}
      data-kind={r.kind}
      data-seq={r.seq}
    >
      {props.timestamps && (
        <span className="jp-DataOps-wf-logTime" title={r.timestamp}>
          {time(r.timestamp)}
        </span>
      )}
      <span className="jp-DataOps-wf-logLevel">{r.level}</span>
      {r.activity_id && (
        <span
          className="jp-DataOps-wf-logActivity"
          title={[
            r.step_version && `steps ${r.step_version}`,
            r.config_version && `configuration ${r.config_version}`
          ]
            .filter(Boolean)
            .join(', ')}
        >
          {r.activity_id}
        </span>
      )}
      <span className="jp-DataOps-wf-logMessage">
        <AnsiText text={r.message} search={props.search} />
      </span>
    </div>
  );
}

/** The live log: filter, search, timestamps, follow the tail, download; virtualized. */
export function LogView(props: ILogViewProps): JSX.Element {
  const { log, trans } = props;
  const [version, setVersion] = React.useState(0);
  const [follow, setFollow] = React.useState(true);
  const [timestamps, setTimestamps] = React.useState(true);
  const [filter, setFilterState] = React.useState<ILogFilter>(log.filter);

  React.useEffect(() => {
    // Lines arrive in bursts: render at most once per animation frame.
    let frame = 0;
    const onChange = () => {
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          setVersion(v => v + 1);
        });
      }
    };
    log.changed.connect(onChange);
    return () => {
      log.changed.disconnect(onChange);
      cancelAnimationFrame(frame);
    };
  }, [log]);

  const setFilter = (change: Partial<ILogFilter>) => {
    log.setFilter(change);
    setFilterState(log.filter);
  };

  const download = () => {
    const blob = new Blob([log.toText()], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = props.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const count = log.visibleCount;
  return (
    <div className="jp-DataOps-wf-log">
      <div className="jp-DataOps-wf-logToolbar" role="toolbar">
        <HTMLSelect
          aria-label={trans.__('Lowest level shown')}
          value={filter.level}
          onChange={e =>
            setFilter({ level: e.currentTarget.value as ILogFilter['level'] })
          }
          options={LOG_LEVELS.map(l => ({ value: l, label: l }))}
        />
        <InputGroup
          type="search"
          aria-label={trans.__('Search the log')}
          placeholder={trans.__('Search the log')}
          value={filter.text}
          onChange={e => setFilter({ text: e.currentTarget.value })}
        />
        <label className="jp-DataOps-wf-check">
          <input
            type="checkbox"
            checked={timestamps}
            onChange={e => setTimestamps(e.currentTarget.checked)}
          />
          {trans.__('Timestamps')}
        </label>
        <Button
          small
          minimal={follow}
          aria-pressed={follow}
          className="jp-DataOps-wf-follow"
          onClick={() => setFollow(!follow)}
          title={trans.__('Keep the newest line in view')}
        >
          {follow ? trans.__('Following') : trans.__('Follow')}
        </Button>
        <Button
          small
          minimal
          onClick={download}
          title={trans.__('Download the whole log as a text file')}
          aria-label={trans.__('Download log')}
        >
          <downloadIcon.react tag="span" />
        </Button>
        <span className="jp-DataOps-wf-logCount" role="status">
          {count === log.records.length
            ? trans._n('%1 line', '%1 lines', count)
            : trans.__('%1 of %2 lines', count, log.records.length)}
        </span>
      </div>
      {count === 0 ? (
        <div className="jp-DataOps-wf-empty">
          {log.records.length
            ? trans.__('No line matches the filter.')
            : trans.__('No log line yet.')}
        </div>
      ) : null}
      <VirtualList
        className="jp-DataOps-wf-logLines"
        label={trans.__('Run log')}
        focusable
        count={count}
        rowHeight={ROW_HEIGHT}
        version={version}
        follow={follow}
        onFollowChange={setFollow}
        renderRow={(i, style) => (
          <div key={i} role="listitem" style={style}>
            <LogLine
              record={log.visibleAt(i)}
              timestamps={timestamps}
              search={filter.text}
            />
          </div>
        )}
      />
    </div>
  );
}
