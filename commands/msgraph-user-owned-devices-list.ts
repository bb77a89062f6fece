/**
 * msgraph-user-owned-devices-list: the devices the user owns. The first request is an advanced
 * query ($count=true with ConsistencyLevel: eventual, so any $filter works); `next_page` fetches a
 * page a previous run returned, and `all` follows every page.
 *
 * Context as the reference shapes it: `MSGraphUser.OwnedDevice` (a `{NextPage}` first when Graph
 * has more) next to `Id` = the user argument. The record is keyed by that `Id`, so a second run
 * for the same user updates it; the reference keyed it by an `ID` it never wrote, so every run
 * added another record.
 */
import { graphPath } from '../src/graph/path.js';
import type { GraphRequest } from '../src/graph/types.js';
import type { Handler } from '../src/command/handler.js';
import { tableToMarkdown } from '../src/command/markdown.js';
import {
  collectPages,
  columnRows,
  contextRows,
  nextPageMetadata,
  orMethodNotFound,
  withoutSecrets,
} from './shared/method-items.js';
import type { GraphObject } from './shared/outputs.js';
import { textArg } from './shared/args.js';

const COLUMNS = {
  id: 'Device Id',
  deviceId: 'Azure Device Registration Id',
  displayName: 'Device Display Name',
} as const;

const ownedDevicesList: Handler = async (ctx) => {
  const user = String(ctx.args.user);
  const nextPage = textArg(ctx.args, 'next_page');
  const headers = { ConsistencyLevel: 'eventual' };
  const request: GraphRequest = nextPage
    ? { method: 'GET', path: nextPage, headers }
    : {
        method: 'GET',
        path: graphPath`users/${user}/ownedDevices`,
        headers,
        query: {
          $filter: textArg(ctx.args, 'filter') || undefined,
          $count: 'true',
          $top: Number(ctx.args.limit),
        },
      };
  return orMethodNotFound(ctx, user, undefined, async () => {
    const { items, nextLink } = await collectPages(ctx, request, ctx.args.all === true);
    if (items.length === 0) return { readable_output: `No owned devices found for user ${user}.` };
    const devices: GraphObject[] = contextRows(items);
    if (nextLink) devices.unshift({ NextPage: nextLink });
    return {
      outputs_prefix: ctx.outputsPrefix,
      outputs_key_field: 'Id',
      outputs: { OwnedDevice: devices, Id: user },
      readable_output: tableToMarkdown(
        `Owned Devices for User ${user}:`,
        columnRows(items, COLUMNS),
        {
          headers: Object.values(COLUMNS),
          removeNull: true,
          metadata: nextLink ? nextPageMetadata(nextLink) : undefined,
        },
      ),
      raw_response: items.map(withoutSecrets),
    };
  });
};

export default ownedDevicesList;
