/**
 * File types that can be promoted: notebooks (Python or R), Python and R step modules (`.R`), BPMN
 * processes, artefact files under `metadata/<kind>s/` and process configurations (`processes/<key>.toml`, its schema).
 */
export const PROMOTABLE =
  /(\.(ipynb|py|r|bpmn)$)|((^|\/)metadata\/[a-z]+\/[^/]+\.(xml|json)$)|((^|\/)processes\/[^/]+\.(toml|schema\.json)$)/i;

/** Whether `path` names a file Promote accepts. */
export function isPromotable(path: string | null | undefined): boolean {
  return !!path && PROMOTABLE.test(path);
}
