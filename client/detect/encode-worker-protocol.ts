/** Messages from the encode worker to the scorer. */
import type { FlowSchema, RowIssue } from '../../shared/flows/schema.js';
import type { EncodedBatch } from './encoded-batch.js';

export type WorkerMessage =
  | { readonly type: 'schema'; readonly schema: FlowSchema }
  | { readonly type: 'batch'; readonly batch: EncodedBatch }
  | { readonly type: 'bad-row'; readonly issue: RowIssue }
  | { readonly type: 'end'; readonly stats: { rows: number; badRows: number } }
  | {
      readonly type: 'error';
      readonly message: string;
      readonly name: string;
      readonly file: string | null;
      readonly line: number | null;
    };
