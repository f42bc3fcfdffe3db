import { JupyterFrontEnd } from '@jupyterlab/application';

/** One stop of the tour: the sidebar panel it opens and what it says there. */
export interface ITourStep {
  panel: string;
  title: string;
  text: string;
}

/** The DataOps tour: the three panels, then where the examples are. */
export const TOUR_STEPS: ITourStep[] = [
  {
    panel: 'jp-dataops-data',
    title: 'Data',
    text:
      'Browse the SDMX sources (your own and the public providers), pick a dataflow and a series key, ' +
      'preview the series as a table and a chart, then insert the dataops.read(...) call into your notebook.'
  },
  {
    panel: 'jp-dataops-workflows',
    title: 'Workflows',
    text:
      'Start a production process, follow its run on the diagram with the live log of each step, ' +
      'and retry or cancel it. The steps are Python functions that a worker runs for the engine.'
  },
  {
    panel: 'jp-dataops-deploy',
    title: 'Deploy',
    text:
      'Promote a notebook, a step module or a process to an environment after a review and a secret scan, ' +
      "then follow the environment's pipeline and its job logs."
  },
  {
    panel: 'launcher',
    title: 'Examples and templates',
    text:
      "The Launcher's DataOps section opens example notebooks and creates a step module, a regression test " +
      'or a new process from templates. Help → DataOps Tour shows this tour again.'
  }
];

/** The class of the tour's box (the UI tests find it by it). */
export const TOUR_CLASS = 'jp-DataOps-tour';

/**
 * Show the tour: each step opens its panel, outlines it and explains it in a box beside it, with
 * Back, Next and Done. Escape or Done ends it. Returns a function that ends it.
 */
export function startTour(
  app: JupyterFrontEnd,
  steps = TOUR_STEPS
): () => void {
  document.querySelector(`.${TOUR_CLASS}`)?.remove();
  const box = document.createElement('div');
  box.className = TOUR_CLASS;
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-live', 'polite');
  document.body.appendChild(box);
  let index = 0;
  let outlined: Element | null = null;

  const end = (): void => {
    outlined?.classList.remove('jp-DataOps-tour-target');
    box.remove();
    document.removeEventListener('keydown', onKey);
  };
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      end();
    }
  };

  const show = (): void => {
    const step = steps[index];
    outlined?.classList.remove('jp-DataOps-tour-target');
    if (step.panel === 'launcher') {
      void app.commands.execute('launcher:create');
    } else {
      app.shell.activateById(step.panel);
    }
    outlined =
      step.panel === 'launcher'
        ? document.querySelector('.jp-Launcher-section:last-child')
        : document.getElementById(step.panel);
    outlined?.classList.add('jp-DataOps-tour-target');
    box.replaceChildren(
      element(
        'div',
        'jp-DataOps-tour-count',
        `${index + 1} of ${steps.length}`
      ),
      element('h3', 'jp-DataOps-tour-title', step.title),
      element('p', 'jp-DataOps-tour-text', step.text),
      buttons()
    );
  };

  const buttons = (): HTMLElement => {
    const row = element('div', 'jp-DataOps-tour-buttons', '');
    const add = (label: string, accept: boolean, action: () => void) => {
      const button = element(
        'button',
        accept ? 'jp-mod-styled jp-mod-accept' : 'jp-mod-styled jp-mod-reject',
        label
      );
      button.addEventListener('click', action);
      row.appendChild(button);
    };
    if (index > 0) {
      add('Back', false, () => {
        index--;
        show();
      });
    }
    if (index < steps.length - 1) {
      add('Next', true, () => {
        index++;
        show();
      });
    } else {
      add('Done', true, end);
    }
    return row;
  };

  document.addEventListener('keydown', onKey);
  show();
  return end;
}

function element(tag: string, className: string, text: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}
