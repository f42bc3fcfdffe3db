import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { detachWidget } from './hooks';

import { IChartData } from '../arrow';
import { VEGALITE_MIME, vegaLiteSpec } from '../chart';
import { SvgChart } from './SvgChart';

/** Props of `PreviewChart`. */
export interface IPreviewChartProps {
  data: IChartData;
  /** JupyterLab's renderers; without a Vega-Lite one the chart is plain SVG. */
  rendermime: IRenderMimeRegistry | null;
  renderer: 'vega-lite' | 'svg';
  label: string;
  /** Scale the value axis to the data, not from zero, and mark each point (revisions). */
  focus?: boolean;
}

/** A line chart of the preview through JupyterLab's own Vega-Lite renderer, or plain SVG. */
export function PreviewChart(props: IPreviewChartProps): JSX.Element {
  const { data, rendermime, label } = props;
  const host = React.useRef<HTMLDivElement>(null);
  const vega =
    props.renderer === 'vega-lite' &&
    rendermime !== null &&
    rendermime.mimeTypes.includes(VEGALITE_MIME);
  React.useLayoutEffect(() => {
    const node = host.current;
    if (!vega || !node || !rendermime) {
      return;
    }
    const widget = rendermime.createRenderer(VEGALITE_MIME);
    const spec = vegaLiteSpec(
      data,
      node.clientWidth - 24,
      'OBS_VALUE',
      props.focus
    );
    const model = new MimeModel({ data: { [VEGALITE_MIME]: spec } });
    Widget.attach(widget, node);
    void widget.renderModel(model);
    return () => {
      detachWidget(widget);
      widget.dispose();
    };
  }, [data, vega, rendermime, props.focus]);
  return (
    <div
      className="jp-DataOps-chart"
      data-renderer={vega ? 'vega-lite' : 'svg'}
      role="img"
      aria-label={label}
    >
      {vega ? <div ref={host} /> : <SvgChart data={data} />}
    </div>
  );
}
