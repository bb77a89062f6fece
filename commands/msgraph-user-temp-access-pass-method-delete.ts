/**
 * msgraph-user-temp-access-pass-method-delete: removes one of the user's Temporary Access Pass
 * methods. It reads its own `user` argument; the reference routed it to tap-policy-delete, which
 * read `user_id` and so deleted under users/None.
 */
import { METHOD_FAMILIES } from './shared/method-families.js';
import { methodDeleteHandler } from './shared/method-commands.js';

export default methodDeleteHandler(METHOD_FAMILIES.temporaryAccessPass);
