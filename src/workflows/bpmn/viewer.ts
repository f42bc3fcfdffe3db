/**
 * The BPMN viewer and its styles, in a module of its own so that webpack puts them in a
 * separate chunk loaded on first use (`import('./bpmn/viewer')`), not at JupyterLab start.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';

export { NavigatedViewer };
