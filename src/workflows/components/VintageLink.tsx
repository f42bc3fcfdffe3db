import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ExternalLink } from '../../common/components/ExternalLink';
import { IRunVintage } from '../vintage';

/** The vintage the run wrote: open it in the Data panel, or its SDMX REST address. */
export function VintageLink(props: {
  vintage: IRunVintage;
  restUrl: string | null;
  onOpen: ((vintage: IRunVintage) => void) | null;
  trans: TranslationBundle;
}): JSX.Element {
  const { vintage, trans } = props;
  const name = vintage.tag || vintage.snapshot_id;
  return (
    <section
      className="jp-DataOps-wf-section jp-DataOps-wf-vintage"
      aria-label={trans.__('Vintage written')}
      data-source={vintage.source}
      data-flow={vintage.flow}
      data-vintage={name}
    >
      <h3>{trans.__('Vintage written')}</h3>
      <p className="jp-DataOps-wf-vintageWhat">
        {vintage.key
          ? trans.__(
              '%1 of %2 in %3, vintage %4',
              vintage.key,
              vintage.flow,
              vintage.source,
              name
            )
          : trans.__(
              '%1 in %2, vintage %3',
              vintage.flow,
              vintage.source,
              name
            )}
      </p>
      <div className="jp-DataOps-wf-actions">
        {props.onOpen && (
          // ui-components' Button renders this same element; a plain one keeps the view testable in node.
          <button
            type="button"
            className="jp-Button jp-mod-small"
            onClick={() => props.onOpen?.(vintage)}
            title={trans.__(
              'Show %1 of %2 in the Data panel as this vintage has it',
              vintage.flow,
              vintage.source
            )}
          >
            {trans.__('Open in the Data panel')}
          </button>
        )}
        {props.restUrl && (
          <ExternalLink
            url={props.restUrl}
            className="jp-DataOps-wf-vintageRest"
            title={trans.__('The SDMX REST address that serves this vintage')}
          >
            {trans.__('SDMX REST')}
          </ExternalLink>
        )}
      </div>
    </section>
  );
}
