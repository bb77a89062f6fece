/**
 * A user's relationship collection (directReports, memberOf), the first page or every page.
 */
import type { GraphClient } from '../../src/graph/types.js';
import type { GraphObject } from './outputs.js';

export const MORE_RESULTS_NOTE =
  'There are more results: run the command again with all=true to get every page.';

export interface Collected {
  items: GraphObject[];
  /** A note for the table when only the first page was fetched and Graph has more. */
  more?: string;
}

export async function collect(graph: GraphClient, path: string, all: boolean): Promise<Collected> {
  const items: GraphObject[] = [];
  let nextLink: string | undefined;
  for await (const page of graph.pages<GraphObject>({ method: 'GET', path }, { all })) {
    items.push(...page.items);
    nextLink = page.nextLink;
  }
  return { items, more: nextLink ? MORE_RESULTS_NOTE : undefined };
}
