/**
 * A one-file zip archive encrypted with WinZip AES-256 (what the reference made with pyzipper), in
 * memory: the content never touches the disk unencrypted.
 */

/** zip.js's encryptionStrength 3 is AES-256. */
const AES_256 = 3;

export async function encryptedZip(
  fileName: string,
  content: string,
  password: string,
): Promise<Buffer> {
  // Loaded on demand: zip.js is large and only this command needs it.
  const { TextReader, Uint8ArrayWriter, ZipWriter } = await import('@zip.js/zip.js');
  const writer = new ZipWriter(new Uint8ArrayWriter(), {
    password,
    encryptionStrength: AES_256,
    // In-process: a command must not leave worker threads behind.
    useWebWorkers: false,
  });
  await writer.add(fileName, new TextReader(content));
  return Buffer.from(await writer.close());
}
