/**
 * msgraph-user-get-delta (deprecated): the first page of the users delta query. Unlike the
 * reference, $select has no leading comma when no properties are given, and the table's columns
 * are in a fixed order (the properties as given, then ID and User Principal Name, then Status when
 * a user was removed) instead of a Python set's order.
 */
import type { Handler } from '../src/command/handler.js';
import { argToList } from '../src/manifest/arguments.js';
import { tableToMarkdown } from '../src/command/markdown.js';
import { textArg } from './shared/args.js';
import { parseOutputs, readableKey, type GraphObject } from './shared/outputs.js';

const getDelta: Handler = async (ctx) => {
  const properties = argToList(textArg(ctx.args, 'properties')).map(String);
  const select = [...new Set([...properties, 'userPrincipalName'])];
  let items: GraphObject[] = [];
  for await (const page of ctx.graph.pages<GraphObject>({
    method: 'GET',
    path: 'users/delta',
    query: { $select: select.join(',') },
  })) {
    items = page.items;
  }
  const { readable, context } = parseOutputs(items);
  const headers = [...new Set([...properties.map(readableKey), 'ID', 'User Principal Name'])];
  if (readable.some((row) => row.Status === 'deleted')) headers.push('Status');
  return {
    outputs_prefix: ctx.outputsPrefix,
    outputs_key_field: 'ID',
    outputs: context,
    readable_output: tableToMarkdown('All Graph Users', readable, { headers, removeNull: true }),
    raw_response: items,
  };
};

export default getDelta;
