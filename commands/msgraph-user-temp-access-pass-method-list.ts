/** msgraph-user-temp-access-pass-method-list: the user's Temporary Access Pass methods, or one by method_id. */
import { METHOD_FAMILIES } from './shared/method-families.js';
import { methodListHandler } from './shared/method-commands.js';

export default methodListHandler(METHOD_FAMILIES.temporaryAccessPass);
