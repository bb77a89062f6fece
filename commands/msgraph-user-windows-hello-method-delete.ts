/** msgraph-user-windows-hello-method-delete: removes one of the user's Windows Hello for Business methods. */
import { METHOD_FAMILIES } from './shared/method-families.js';
import { methodDeleteHandler } from './shared/method-commands.js';

export default methodDeleteHandler(METHOD_FAMILIES.windowsHello);
