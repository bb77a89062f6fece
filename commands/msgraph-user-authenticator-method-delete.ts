/** msgraph-user-authenticator-method-delete: removes one of the user's Microsoft Authenticator methods. */
import { METHOD_FAMILIES } from './shared/method-families.js';
import { methodDeleteHandler } from './shared/method-commands.js';

export default methodDeleteHandler(METHOD_FAMILIES.authenticator);
