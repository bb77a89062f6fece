/** msgraph-user-email-method-delete: removes one of the user's email methods. */
import { METHOD_FAMILIES } from './shared/method-families.js';
import { methodDeleteHandler } from './shared/method-commands.js';

export default methodDeleteHandler(METHOD_FAMILIES.email);
