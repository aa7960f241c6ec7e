// Public surface of the ONNX model IR: decoded message types, read/write, tensor codecs and graph helpers.
export type {
  AttributeProto, DeviceConfigurationProto, FunctionProto, GraphProto, ModelProto, NodeDeviceConfigurationProto,
  NodeProto, OperatorSetIdProto, ShardingSpecProto, SimpleShardedDimProto, SparseTensorProto, StringStringEntryProto,
  TensorAnnotation, TensorProto, TensorSegment, TensorShapeDimension, TensorShapeProto, TrainingInfoProto, TypeProto,
  TypeProtoTensor, ValueInfoProto,
} from './model-types.js';
export { AttributeType, DataLocation, DataType } from './model-types.js';

export { readModel, type ReadModelOptions } from './model-read.js';
export { checkModelFile, inspectModelFile, type ModelProblem } from './model-check.js';
export { readModelOutline, type ModelOutline, type OutlineInput } from './model-outline.js';
export {
  encodeModel, PROTOBUF_MAX_BYTES, writeModel,
  type ExternalDataOptions, type WriteModelOptions, type WriteModelResult,
} from './model-write.js';
export {
  decodeMessage, decodeModelBytes, decodeTensorProto, encodeMessage, encodeTensorProto, type OnnxMessageName,
} from './model-codec.js';
export { externalDataRef, isExternal, loadExternalData, type ExternalDataRef } from './external-data.js';

export {
  decodeTensor, encodeTensor, type DecodeTensorOptions, type EncodeTensorOptions, type TensorArray,
} from './tensor-codec.js';
export { tensorRawBytes } from './tensor-raw.js';
export { dataTypeBits, dataTypeName, tensorByteLength, tensorElementCount } from './tensor-layout.js';
export {
  decodeBFloat16, decodeFloat16, encodeBFloat16, encodeFloat16, floatBitsToHalf, floatToHalf, halfToFloat,
} from './float-bits.js';
export { packBits, unpackBits } from './sub-byte.js';

export {
  attrFloat, attrFloats, attrGraph, attrInt, attrInts, attrString, attrStrings, attrTensor, getAttribute, makeAttribute,
  type AttributeValue,
} from './attributes.js';
export {
  constantTensor, hoistConstantNodes, initializerMap, isConstantNode, type InitializerMapOptions,
} from './constant-weights.js';
export { opTyping, slotAt, type FloatAdmission, type OpTyping, type TypeSlot } from './op-typing.js';
export { castTarget, inferElemTypes, NOT_FLOAT_TYPE, type GraphElemTypes } from './type-inference.js';
export { castIsExact, foldCasts, type CastFoldResult } from './cast-fold.js';
export { forEachTensor, modelGraphs, subgraphsOf, walkGraphs, walkNodes, type GraphVisit, type SubgraphRef } from './graph-walk.js';
export { consumerMap, definedNames, implicitInputs, nodeInputs, outerScopeNames, producerMap } from './graph-index.js';
export { sortGraph, topologicalSort } from './graph-order.js';
export { createNameGenerator, type NameGenerator } from './unique-names.js';
export { findValueInfo, tensorInfo, typeShape, type Dim, type TensorInfo } from './value-info.js';
export { pruneGraph, pruneModel, withGraphOutputs, type PruneResult } from './graph-edit.js';
export {
  normalizeDomain, opSchemaVersion, opsetUpgradeBlockers, opsetVersion, raiseIrVersion, upgradeOpset, withOpsetImport,
  type OpsetBlocker,
} from './opset.js';
