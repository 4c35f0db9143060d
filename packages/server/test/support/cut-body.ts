/**
 * Reading a download that may be cut off: what arrived, and the error that ended it.
 *
 * @module
 */

/** Reads a response body, keeping what arrived before it failed (`error` undefined when it ended whole). */
export async function readBody(res: Response): Promise<{ bytes: Buffer; error: unknown }> {
  const chunks: Buffer[] = [];
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks), error: undefined };
      chunks.push(Buffer.from(value));
    }
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}
