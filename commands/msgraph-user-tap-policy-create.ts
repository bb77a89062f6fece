/**
 * msgraph-user-tap-policy-create: creates a Temporary Access Pass for the user.
 *
 * The pass is a credential: it is registered as a secret the moment it arrives (so no output or
 * log can show it), removed from what the command reports, and handed over only inside
 * TAPPolicyInfo.zip (TAPPolicyPass.txt, AES-256, password = zip_password), a file entry with no
 * caption that comes before the result, as in the reference. The POST creates (and
 * replaces the user's previous pass), so the client retries it only after a 429.
 */
import { graphPath } from '../src/graph/path.js';
import { UserError } from '../src/base/errors.js';
import { fileEntry } from '../src/command/files.js';
import type { Handler } from '../src/command/handler.js';
import { encryptedZip } from './shared/encrypted-zip.js';
import { contextRows, orMethodNotFound, unwrapSingle } from './shared/method-items.js';
import { tapStartDateTime } from './shared/start-time.js';

const ARCHIVE = 'TAPPolicyInfo.zip';
const PASS_FILE = 'TAPPolicyPass.txt';

const tapPolicyCreate: Handler = async (ctx) => {
  const userId = String(ctx.args.user_id);
  const zipPassword = String(ctx.args.zip_password);
  const startDateTime = tapStartDateTime(
    String(ctx.args.start_time ?? 'now'),
    new Date(ctx.clock.now()),
  );
  const body = {
    lifetimeInMinutes: Number(ctx.args.lifetime_in_minutes),
    isUsableOnce: ctx.args.is_usable_once === true,
    ...(startDateTime ? { startDateTime } : {}),
  };
  return orMethodNotFound(ctx, userId, undefined, async () => {
    const path = graphPath`users/${userId}/authentication/temporaryAccessPassMethods`;
    const response = await ctx.graph.request({ method: 'POST', path, body, idempotent: false });
    const created = unwrapSingle(response.body);
    const pass = created.temporaryAccessPass;
    if (typeof pass === 'string' && pass) ctx.addSecret(pass);
    if (Object.keys(created).length === 0) {
      return { readable_output: `Failed to create TAP policy for user: ${userId}.` };
    }
    if (typeof pass !== 'string' || !pass) {
      throw new UserError(
        `Microsoft Graph created Temporary Access Pass ${String(created.id)} for user ${userId} but did not return the pass.`,
        'Delete it with msgraph-user-tap-policy-delete and create a new one.',
      );
    }
    const saved = await ctx.files.save(ARCHIVE, await encryptedZip(PASS_FILE, pass, zipPassword));
    const [outputs] = contextRows([created]);
    // The reference's order and shape: its fileResult (no caption) went out before the result,
    // and the result's contents were its context outputs.
    return [
      fileEntry(saved),
      {
        outputs_prefix: ctx.outputsPrefix,
        outputs_key_field: 'ID',
        outputs,
        readable_output: `Temporary Access Pass Authentication methods policy for user: ${userId} was successfully created.`,
      },
    ];
  });
};

export default tapPolicyCreate;
