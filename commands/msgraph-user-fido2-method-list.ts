/**
 * msgraph-user-fido2-method-list: the user's FIDO2 security keys, or one by method_id. `limit` is
 * applied (Graph has no $top here; the reference documented it and ignored it).
 */
import { METHOD_FAMILIES } from './shared/method-families.js';
import { methodListHandler } from './shared/method-commands.js';

export default methodListHandler(METHOD_FAMILIES.fido2);
