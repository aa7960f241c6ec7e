// ORT's native error text → one readable sentence, and the hint that fits the failure.
import { describe, expect, it } from 'vitest';
import { cleanOrtMessage, modelLoadHint } from '../../../src/ort/ort-message.js';

describe('cleanOrtMessage', () => {
  it('drops a C++ source position and signature wherever it sits, keeping the sentence around it', () => {
    // what ORT 1.30 says for a zero-byte model: the position follows "failed:" and the signature holds spaces
    const raw = 'Load model from /p/m.onnx failed:/onnxruntime_src/onnxruntime/core/graph/model.cc:187 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const onnxruntime::logging::Logger&) ModelProto does not have a graph.';
    expect(cleanOrtMessage(raw)).toBe('Load model from /p/m.onnx failed: ModelProto does not have a graph.');
  });

  it('drops the failed condition of an ORT_ENFORCE, not the sentence after it', () => {
    const raw = 'x.cc:9 f() a.b == c was false. Real reason. Another sentence was false. here';
    expect(cleanOrtMessage(raw)).toBe('Real reason. Another sentence was false. here');
  });

  it('leaves text without source positions alone', () => {
    expect(cleanOrtMessage('Could not find an implementation for Gemm(6) node with name \'\'')).toBe('Could not find an implementation for Gemm(6) node with name \'\'');
  });
});

describe('modelLoadHint', () => {
  it('says what to do for each kind of load failure', () => {
    expect(modelLoadHint("Could not find an implementation for Gemm(6) node with name ''")).toMatch(/no kernel for Gemm at opset 6; re-export the model at a newer opset/);
    expect(modelLoadHint('Load model from m.onnx failed:Protobuf parsing failed.')).toMatch(/not truncated, not a Git LFS pointer/);
    expect(modelLoadHint('External data path validation failed for initializer: w')).toMatch(/external data files next to the .onnx file/);
    expect(modelLoadHint('This is an invalid model. Error: Node (n) has input size 2 not in range')).toMatch(/onnx\.checker\.check_model/);
    expect(modelLoadHint('something else entirely')).toMatch(/the message above is its own/);
  });
});
