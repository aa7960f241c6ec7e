// Opset imports: look up a domain's version, set it, and raise the default-domain opset only when that is safe.
import { graphError } from './model-errors.js';
import { modelGraphs } from './graph-walk.js';
import { minIrVersionForOpset, NEWEST_KNOWN_OPSET, OP_SCHEMA_VERSIONS } from './opset-history.js';
import type { ModelProto } from './model-types.js';

/** '' and 'ai.onnx' name the same (default) domain. */
export function normalizeDomain(domain: string | undefined): string {
  return !domain || domain === 'ai.onnx' ? '' : domain;
}

/** The imported opset version of `domain` (default: the ai.onnx domain), or undefined when not imported. */
export function opsetVersion(model: ModelProto, domain = ''): number | undefined {
  const wanted = normalizeDomain(domain);
  return model.opset_import.find((o) => normalizeDomain(o.domain) === wanted)?.version;
}

/**
 * Returns a model importing `domain` at `version` (replacing the existing import). For the default domain the
 * ir_version is raised to the minimum that opset requires. Operators are not converted: see upgradeOpset.
 */
export function withOpsetImport(model: ModelProto, domain: string, version: number): ModelProto {
  const wanted = normalizeDomain(domain);
  const others = model.opset_import.filter((o) => normalizeDomain(o.domain) !== wanted);
  const entry = wanted === '' ? { domain: '', version } : { domain: wanted, version };
  const next: ModelProto = { ...model, opset_import: [entry, ...others] };
  return wanted === '' ? raiseIrVersion(next, minIrVersionForOpset(version)) : next;
}

/**
 * Returns the model at IR version `target` or higher (never lower). Before IR 4 every initializer had to be listed
 * as a graph input, and ORT treats such inputs as constants (Graph::CanOverrideInitializer is false below IR 4); from
 * IR 4 on, an initializer that is also an input is an overridable default, which ORT neither folds nor fuses. So
 * crossing IR 4 also drops the initializers from the main graph's inputs: the model keeps meaning what it meant.
 */
export function raiseIrVersion(model: ModelProto, target: number): ModelProto {
  const before = model.ir_version ?? 0;
  if (before >= target) return model;
  const next: ModelProto = { ...model, ir_version: target };
  if (before < 4 && target >= 4 && model.graph) {
    const initializers = new Set(model.graph.initializer.map((t) => t.name));
    const input = model.graph.input.filter((vi) => !initializers.has(vi.name));
    if (input.length !== model.graph.input.length) next.graph = { ...model.graph, input };
  }
  return next;
}

/** The schema version an op runs as under a default-domain opset (e.g. Squeeze at opset 12 → 11), if known. */
export function opSchemaVersion(opType: string, opset: number): number | undefined {
  const versions = OP_SCHEMA_VERSIONS.get(opType);
  if (!versions) return undefined;
  let found: number | undefined;
  for (const v of versions) if (v <= opset) found = v;
  return found;
}

export interface OpsetBlocker {
  opType: string;
  /** schema versions introduced after the current opset, up to the target */
  changedAt: number[];
}

/** Default-domain ops of the model whose schema changes between `from` (exclusive) and `to` (inclusive). */
export function opsetUpgradeBlockers(model: ModelProto, from: number, to: number): OpsetBlocker[] {
  const opTypes = new Set<string>();
  for (const { graph } of modelGraphs(model)) {
    for (const node of graph.node) if (normalizeDomain(node.domain) === '' && node.op_type) opTypes.add(node.op_type);
  }
  for (const fn of model.functions ?? []) {
    for (const node of fn.node) if (normalizeDomain(node.domain) === '' && node.op_type) opTypes.add(node.op_type);
  }
  const blockers: OpsetBlocker[] = [];
  for (const opType of [...opTypes].sort()) {
    const changedAt = (OP_SCHEMA_VERSIONS.get(opType) ?? [Infinity]).filter((v) => v > from && v <= to);
    if (!OP_SCHEMA_VERSIONS.has(opType)) blockers.push({ opType, changedAt: [] });
    else if (changedAt.length > 0) blockers.push({ opType, changedAt });
  }
  return blockers;
}

/**
 * Raises the default-domain opset import to `target` when no operator the model uses changed its schema in between
 * (conservative: any new schema version blocks, even a type-only change). Never lowers it. Throws E_OPSET_UPGRADE
 * listing the blocking operators; converting them is the job of a version converter, not of this module.
 */
export function upgradeOpset(model: ModelProto, target: number): ModelProto {
  const current = opsetVersion(model, '') ?? 0;
  if (current >= target) return model;
  if (target > NEWEST_KNOWN_OPSET) {
    throw graphError('E_OPSET_UPGRADE', `Cannot upgrade the model to opset ${target}: edgeopt knows operator schemas up to opset ${NEWEST_KNOWN_OPSET}.`,
      `Choose an opset ≤ ${NEWEST_KNOWN_OPSET}.`);
  }
  const blockers = opsetUpgradeBlockers(model, current, target);
  if (blockers.length > 0) {
    const list = blockers
      .map((b) => (b.changedAt.length ? `${b.opType} (changed at ${b.changedAt.join(', ')})` : `${b.opType} (unknown operator)`))
      .join(', ');
    throw graphError('E_OPSET_UPGRADE',
      `Cannot raise the model's opset from ${current} to ${target} by changing the import alone: ${list}.`,
      "Convert the model with onnx.version_converter.convert_version, or keep the model's opset.");
  }
  return withOpsetImport(model, '', target);
}
