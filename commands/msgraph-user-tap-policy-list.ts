/**
 * msgraph-user-tap-policy-list: the user's Temporary Access Pass method. A user has at most one,
 * so only the first is reported; the pass itself is never returned (Graph answers null anyway).
 * Contents are the context outputs (`ID`, `IsUsable`, ...), as in the reference.
 */
import { graphPath } from '../src/graph/path.js';
import type { Handler } from '../src/command/handler.js';
import { tableToMarkdown } from '../src/command/markdown.js';
import { collectPages, contextItem, orMethodNotFound } from './shared/method-items.js';
import { parseOutputs } from './shared/outputs.js';

const HEADERS = [
  'Policy ID',
  'Start Date Time',
  'Lifetime In Minutes',
  'Is Usable Once',
  'Is Usable',
  'Method Usability Reason',
];

const tapPolicyList: Handler = async (ctx) => {
  const userId = String(ctx.args.user_id);
  return orMethodNotFound(ctx, userId, undefined, async () => {
    const path = graphPath`users/${userId}/authentication/temporaryAccessPassMethods`;
    const {
      items: [policy],
    } = await collectPages(ctx, { method: 'GET', path }, false);
    if (!policy) return { readable_output: `Failed to get TAP policy for the user ${userId}.` };
    const {
      readable: [row],
      context: [outputs],
    } = parseOutputs(contextItem(policy));
    const { ID: id, ...rest } = row!;
    return {
      outputs_prefix: ctx.outputsPrefix,
      outputs_key_field: 'ID',
      outputs,
      readable_output: tableToMarkdown(
        `TAP Policy for User ID ${userId}:`,
        { 'Policy ID': id, ...rest },
        { headers: HEADERS },
      ),
    };
  });
};

export default tapPolicyList;
