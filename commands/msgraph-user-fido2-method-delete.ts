/** msgraph-user-fido2-method-delete: removes one of the user's FIDO2 methods. */
import { METHOD_FAMILIES } from './shared/method-families.js';
import { methodDeleteHandler } from './shared/method-commands.js';

export default methodDeleteHandler(METHOD_FAMILIES.fido2);
