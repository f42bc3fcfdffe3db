import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { asApiError, DataOpsApiError } from '../../api/client';
import { ErrorMessage } from '../../common/components/ErrorMessage';
import { IDiagramState } from '../runState';

type Viewer = InstanceType<
  (typeof import('../bpmn/viewer'))['NavigatedViewer']
>;

/** Props of `BpmnDiagram`. */
export interface IBpmnDiagramProps {
  xml: string;
  /** Live state of a run to paint on the diagram (none for a bare definition). */
  state?: IDiagramState;
  trans: TranslationBundle;
}

const MARKER_PREFIX = 'jp-DataOps-wf-bpmn-';

/**
 * A BPMN diagram (bpmn-js NavigatedViewer: pan and zoom, with the bpmn.io watermark its
 * licence asks for), loaded lazily; activities carry their run state as markers.
 */
export function BpmnDiagram(props: IBpmnDiagramProps): JSX.Element {
  const { xml, state, trans } = props;
  const host = React.useRef<HTMLDivElement>(null);
  const viewer = React.useRef<Viewer | null>(null);
  const [ready, setReady] = React.useState(0);
  const [error, setError] = React.useState<DataOpsApiError | null>(null);

  React.useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void (async () => {
      try {
        const { NavigatedViewer } = await import('../bpmn/viewer');
        if (disposed || !host.current) {
          return;
        }
        const v = new NavigatedViewer({ container: host.current });
        viewer.current = v;
        await v.importXML(xml);
        const canvas = v.get('canvas') as any;
        const container = host.current;
        // a hidden tab gives the canvas no size: fitting it then divides by zero inside
        // bpmn-js (a non-finite SVG scale); the observer fits it once it is shown again
        const fit = () => {
          if (container.clientWidth > 0 && container.clientHeight > 0) {
            canvas.resized();
            canvas.zoom('fit-viewport', 'auto');
          }
        };
        fit();
        observer = new ResizeObserver(fit);
        observer.observe(container);
        setError(null);
        setReady(n => n + 1);
      } catch (e) {
        setError(asApiError(e));
      }
    })();
    return () => {
      disposed = true;
      observer?.disconnect();
      viewer.current?.destroy();
      viewer.current = null;
    };
  }, [xml]);

  React.useEffect(() => {
    const v = viewer.current;
    if (!v || !state) {
      return;
    }
    const canvas = v.get('canvas') as any;
    const overlays = v.get('overlays') as any;
    const registry = v.get('elementRegistry') as any;
    overlays.remove({ type: 'incident' });
    for (const element of registry.getAll()) {
      for (const m of ['completed', 'running', 'failed', 'cancelled']) {
        canvas.removeMarker(element.id, MARKER_PREFIX + m);
      }
    }
    for (const [id, marker] of Object.entries(state.markers)) {
      if (registry.get(id)) {
        canvas.addMarker(id, MARKER_PREFIX + marker);
      }
    }
    for (const [id, count] of Object.entries(state.incidents)) {
      if (registry.get(id)) {
        const badge = document.createElement('div');
        badge.className = 'jp-DataOps-wf-incidentBadge';
        badge.textContent = String(count);
        badge.title = trans._n('%1 open incident', '%1 open incidents', count);
        overlays.add(id, 'incident', {
          position: { top: -10, right: 10 },
          html: badge
        });
      }
    }
  }, [state, ready]);

  return (
    <div className="jp-DataOps-wf-diagram">
      {error && (
        <ErrorMessage
          error={error}
          title={trans.__('The diagram could not be shown')}
          trans={trans}
        />
      )}
      <div
        ref={host}
        className="jp-DataOps-wf-diagramCanvas"
        aria-label={trans.__('BPMN diagram')}
        role="img"
      />
    </div>
  );
}
