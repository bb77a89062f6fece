/**
 * Stands in for the `form-data` package in the bundle. axios imports it for multipart bodies,
 * which this product never sends, and it drags in a 200 KB MIME database at every start-up.
 */
export default class FormData {
  constructor() {
    throw new Error('multipart/form-data bodies are not supported by msgraph-user');
  }
}
