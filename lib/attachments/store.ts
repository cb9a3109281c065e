/**
 * Where attachments' sealed bytes live: an object store with a name → bytes API. Two adapters, the
 * local disk (`npm start`'s default) and S3 (MinIO, or any S3-compatible service); the service
 * above them (lib/attachments/index.ts) seals, names and checks what they keep.
 */
export interface ObjectStore {
  /** For the logs and /readyz-like checks: where the objects go. */
  readonly description: string;
  /** Stores `body` under `name`, replacing an object of that name (a retried upload writes the same bytes again). */
  put(name: string, body: Buffer): Promise<void>;
  /** The object, or undefined when there is none of that name. */
  get(name: string): Promise<Buffer | undefined>;
}
