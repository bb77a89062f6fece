/** msgraph-user-windows-hello-method-list: the user's Windows Hello for Business methods, or one by method_id. */
import { METHOD_FAMILIES } from './shared/method-families.js';
import { methodListHandler } from './shared/method-commands.js';

export default methodListHandler(METHOD_FAMILIES.windowsHello);
