// The `ep_coverage` section of report.json: per requested EP, how much of the final model its static op table would take.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

export const EpCoverageSchema = Type.Object(
  {
    ep: Type.String(),
    /** false: edgeopt has no op table for this EP, so nothing below was computed */
    known: Type.Boolean(),
    note: Type.Optional(Type.String()),
    source: Type.Optional(Type.Object({ files: Type.Array(Type.String()), ort: Type.String() }, strict)),
    nodes: Type.Optional(Type.Integer({ description: 'nodes ORT would partition: main graph and subgraphs, Constant nodes excluded' })),
    supported: Type.Optional(Type.Integer()),
    partitions: Type.Optional(Type.Integer({ description: 'groups of supported nodes the graph splits into (ORT GetCapability grouping)' })),
    partition_sizes: Type.Optional(Type.Array(Type.Integer())),
    subgraph_nodes: Type.Optional(Type.Integer({ description: 'nodes inside If/Loop/Scan bodies: counted, never taken' })),
    unsupported: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: '"domain:op" or "domain:op (reason)" → node count' })),
    suitability: Type.Optional(Type.Union(['good', 'maybe', 'poor', 'none'].map((s) => Type.Literal(s)))),
    caveats: Type.Optional(Type.Array(Type.String(), { description: 'documented limits of ops the model uses, not checked statically' })),
  },
  strict,
);

export type EpCoverage = Static<typeof EpCoverageSchema>;
