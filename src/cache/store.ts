// The cache's interface: a content-addressed blob store (CAS) plus action records (AC) keyed by task key.

export interface BlobRef {
  hash: string;
  size: number;
}

export interface ActionRecord {
  key: string;
  /** task id that produced it, e.g. "vad-phone:int8" */
  task: string;
  plugin: string;
  pluginVersion: string;
  /** output files by their path relative to the task's folder (names kept: a model's external data finds its file) */
  outputs: Record<string, BlobRef>;
  /** role (e.g. "model") → output path */
  roles: Record<string, string>;
  metrics?: Record<string, unknown>;
  warnings?: string[];
  durationMs: number;
  createdAt: string;
  /** what the key was made of, to explain later rebuilds */
  keyInputs: Record<string, unknown>;
}

export interface Store {
  readonly root: string;
  getAction(key: string): Promise<ActionRecord | undefined>;
  /** writes the record last: a task is cached only once every blob it names is in the store */
  putAction(record: ActionRecord): Promise<void>;
  hasBlob(hash: string): Promise<boolean>;
  /** moves a finished file into the store; returns its content address */
  putBlob(file: string): Promise<BlobRef>;
  /** a local path to read the blob from */
  blobPath(hash: string): string;
  /** a private empty folder for one task, on the store's filesystem */
  makeTempDir(label: string): Promise<string>;
}
