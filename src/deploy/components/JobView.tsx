import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IAnsiLine } from '../../common/ansi';
import { ErrorMessage } from '../../common/components/ErrorMessage';
import { VirtualList } from '../../common/components/VirtualList';
import { formatDuration } from '../../common/duration';
import { ITestReport } from '../api';
import { JobModel } from '../jobModel';
import { StatusBadge } from './PipelineRow';
import { ExternalLink } from '../../common/components/ExternalLink';
import { safeLinkUrl } from '../../common/links';

/** Props of `JobView`. */
export interface IJobViewProps {
  model: JobModel;
  trans: TranslationBundle;
}

/** Height of one log line in pixels (lines do not wrap, so the log can be virtualised). */
const LINE_HEIGHT = 18;

/** One line of the log with its ANSI styles (a `pre`: JupyterLab colours ANSI classes in one). */
function LogLine(props: { line: IAnsiLine; style: React.CSSProperties }) {
  const { line } = props;
  return (
    <pre className="jp-DataOps-logLine" role="listitem" style={props.style}>
      {line.segments.map((s, j) =>
        s.classes ? (
          <span key={j} className={s.classes}>
            {s.text}
          </span>
        ) : (
          <React.Fragment key={j}>{s.text}</React.Fragment>
        )
      )}
      {line.segments.length === 0 && '\u200b'}
    </pre>
  );
}

/**
 * A job in the main area: status, live log (following the tail) and the test report summary.
 * Only the lines on screen are in the DOM, so a log of 200,000 lines scrolls like a short one.
 */
export function JobView(props: IJobViewProps): JSX.Element {
  const { model, trans } = props;
  const [, setVersion] = React.useState(0);
  const [follow, setFollow] = React.useState(true);
  React.useEffect(() => {
    const update = () => setVersion(v => v + 1);
    model.changed.connect(update);
    return () => {
      model.changed.disconnect(update);
    };
  }, [model]);
  const job = model.job;
  const { ref, log } = model;
  return (
    <div className="jp-DataOps-jobView" data-job={ref.name}>
      <div className="jp-DataOps-jobHead">
        <strong>{ref.name}</strong>
        {job && <StatusBadge status={job.status} trans={trans} />}
        <span className="jp-DataOps-muted">
          {trans.__(
            '%1 · pipeline #%2 · job #%3',
            ref.env,
            ref.pipelineId,
            ref.jobId
          )}
          {job?.user ? ` · ${trans.__('by %1', job.user)}` : ''}
          {job?.duration !== null && job?.duration !== undefined
            ? ` · ${formatDuration(job.duration)}`
            : ''}
        </span>
        {safeLinkUrl(job?.web_url) && (
          <ExternalLink url={job?.web_url}>
            {trans.__('Open in GitLab')}
          </ExternalLink>
        )}
        <label className="jp-DataOps-follow">
          <input
            type="checkbox"
            checked={follow}
            onChange={e => setFollow(e.target.checked)}
          />
          {trans.__('Follow the end of the log')}
        </label>
      </div>
      {model.error && <ErrorMessage error={model.error} trans={trans} />}
      {model.testReport && (
        <TestReportSummary report={model.testReport} trans={trans} />
      )}
      <div className="jp-RenderedText jp-DataOps-jobLogFrame">
        <VirtualList
          className="jp-DataOps-jobLog"
          count={log.lineCount}
          rowHeight={LINE_HEIGHT}
          version={log.version}
          follow={follow}
          onFollowChange={setFollow}
          focusable
          label={trans.__('Log of %1', ref.name)}
          renderRow={(i, style) => (
            <LogLine key={i} line={log.line(i)} style={style} />
          )}
        />
      </div>
      <div className="jp-DataOps-muted jp-DataOps-logFoot" role="status">
        {log.finished
          ? trans._n(
              '%1 line · job finished',
              '%1 lines · job finished',
              log.lineCount
            )
          : trans._n('%1 line · live', '%1 lines · live', log.lineCount)}
      </div>
    </div>
  );
}

/** The pipeline's JUnit totals and one row per suite. */
export function TestReportSummary(props: {
  report: ITestReport;
  trans: TranslationBundle;
}): JSX.Element {
  const { report, trans } = props;
  if (report.total === 0) {
    return (
      <p className="jp-DataOps-muted jp-DataOps-testReport">
        {trans.__('This pipeline published no test report.')}
      </p>
    );
  }
  return (
    <div className="jp-DataOps-testReport" role="status">
      <strong>
        {trans.__(
          'Tests: %1 passed, %2 failed, %3 errors, %4 skipped of %5',
          report.success,
          report.failed,
          report.error,
          report.skipped,
          report.total
        )}
      </strong>
      <ul>
        {report.suites.map(s => (
          <li key={s.name} data-failed={s.failed + s.error > 0}>
            {trans.__('%1: %2 of %3 passed', s.name, s.success, s.total)}
            {s.suite_error ? ` — ${s.suite_error}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
