// Graph helpers: subgraph walking, implicit inputs, producers/consumers, topological order, names, shapes, edits.
import { describe, expect, it } from 'vitest';
import {
  attrInt, attrInts, attrString, consumerMap, createNameGenerator, implicitInputs, makeAttribute, modelGraphs, producerMap,
  pruneGraph, subgraphsOf, tensorInfo, topologicalSort, walkGraphs, walkNodes, withGraphOutputs, type GraphProto,
} from '../../../src/onnx/index.js';
import { floatInfo, graph, mlpModel, model, nestedIfModel, node, weights } from './model-fixtures.js';

const ifNode = (g: GraphProto) => g.node.find((n) => n.op_type === 'If')!;

describe('walking subgraphs', () => {
  it('visits the main graph, then If branches, then the Loop body inside the then-branch, with readable paths', () => {
    const m = nestedIfModel();
    const visits = [...walkGraphs(m.graph!)];
    expect(visits.map((v) => [v.path, v.depth, v.graph.name])).toEqual([
      ['g', 0, 'g'],
      ['g/If_y.then_branch', 1, 'then'],
      ['g/If_y.then_branch/Loop_then_out.body', 2, 'loop_body'],
      ['g/If_y.else_branch', 1, 'else'],
    ]);
    expect(visits[2]!.owner!.op_type).toBe('Loop');
    expect(subgraphsOf(ifNode(m.graph!)).map((s) => s.attribute)).toEqual(['then_branch', 'else_branch']);
    expect([...walkNodes(m.graph!)].map((n) => n.node.op_type)).toEqual(['Constant', 'Constant', 'ReduceSum', 'Greater', 'If', 'Loop', 'Mul', 'Identity']);
    expect([...modelGraphs(m)].length).toBe(4);
  });
});

describe('producers and consumers', () => {
  it('counts outer-scope reads of nested bodies as inputs of the node that owns them', () => {
    const g = nestedIfModel().graph!;
    expect(implicitInputs(ifNode(g)).sort()).toEqual(['scale', 'trip', 'x']);
    const consumers = consumerMap(g);
    expect(consumers.get('x')!.map((n) => n.op_type)).toEqual(['ReduceSum', 'If']);
    expect(consumers.get('scale')!.map((n) => n.op_type)).toEqual(['If']);
    expect(producerMap(g).get('cond')!.op_type).toBe('Greater');
  });

  it('ignores the empty names of omitted optional inputs', () => {
    const g = graph({ node: [node('Clip', ['x', '', 'max'], ['y'])] });
    expect([...consumerMap(g).keys()]).toEqual(['x', 'max']);
  });
});

describe('topologicalSort', () => {
  it('orders a shuffled graph so producers come first, keeping file order among ready nodes', () => {
    const g = nestedIfModel().graph!;
    const shuffled = { ...g, node: [g.node[4]!, g.node[3]!, g.node[2]!, g.node[1]!, g.node[0]!] };
    const order = topologicalSort(shuffled).map((n) => n.output[0]);
    // If needs trip and scale through its bodies: without implicit inputs it would come before them
    // (Greater, at index 1, is taken as soon as ReduceSum frees it: the lowest ready index always goes first)
    expect(order).toEqual(['s', 'cond', 'scale', 'trip', 'y']);
  });

  it('reports a cycle with E_GRAPH_CYCLE naming nodes', () => {
    const g = graph({ node: [node('Relu', ['b'], ['a'], { name: 'first' }), node('Relu', ['a'], ['b'], { name: 'second' })] });
    expect(() => topologicalSort(g)).toThrowError(expect.objectContaining({ code: 'E_GRAPH_CYCLE', message: expect.stringMatching(/first \(Relu\), second \(Relu\)/) }));
  });
});

describe('createNameGenerator', () => {
  it('avoids names used anywhere, subgraphs included, and never returns the same name twice', () => {
    const fresh = createNameGenerator(nestedIfModel());
    expect(fresh('acc_out')).toBe('acc_out_1');
    expect(fresh('acc_out')).toBe('acc_out_2');
    expect(fresh('If_y')).toBe('If_y_1');
    expect(fresh('new')).toBe('new');
    expect(fresh('new')).toBe('new_1');
    expect(fresh('')).toBe('_1');
  });
});

describe('tensorInfo', () => {
  it('finds shapes in initializers, Constant nodes, value_info and the outer scope', () => {
    const m = nestedIfModel();
    const g = m.graph!;
    g.value_info.push(floatInfo('s', []));
    expect(tensorInfo(g, 'x')).toEqual({ name: 'x', elemType: 1, shape: [2], source: 'input' });
    expect(tensorInfo(g, 'zero')).toMatchObject({ shape: [], source: 'initializer' });
    expect(tensorInfo(g, 'trip')).toMatchObject({ elemType: 7, shape: [], source: 'constant' });
    expect(tensorInfo(g, 's')).toMatchObject({ shape: [], source: 'value_info' });
    const thenBranch = ifNode(g).attribute[0]!.g!;
    expect(tensorInfo(thenBranch, 'x')).toBeUndefined();
    expect(tensorInfo(thenBranch, 'x', [g])).toMatchObject({ shape: [2], source: 'input' });
    const dynamic = graph({ input: [floatInfo('in', ['batch', 3])] });
    dynamic.input[0]!.type!.tensor_type!.shape!.dim.push({});
    expect(tensorInfo(dynamic, 'in')!.shape).toEqual(['batch', 3, null]);
  });
});

describe('withGraphOutputs', () => {
  it('adds intermediate tensors as outputs without touching the input model', () => {
    const m = mlpModel();
    m.graph!.value_info.push(floatInfo('h1', [1, 8]));
    const exposed = withGraphOutputs(m, ['h1', 'h2', 'y']);
    expect(exposed.graph!.output.map((o) => o.name)).toEqual(['y', 'h1', 'h2']);
    expect(exposed.graph!.output[1]!.type).toEqual(floatInfo('h1', [1, 8]).type);
    expect(exposed.graph!.output[2]).toEqual({ name: 'h2' });
    expect(m.graph!.output.map((o) => o.name)).toEqual(['y']);
    expect(() => withGraphOutputs(m, ['nope'])).toThrowError(expect.objectContaining({ code: 'E_GRAPH_UNKNOWN_TENSOR' }));
  });
});

describe('pruneGraph', () => {
  it('removes dead nodes and unused initializers, keeps what subgraphs read from outside', () => {
    const m = nestedIfModel();
    const g = m.graph!;
    g.node.push(node('Relu', ['x'], ['dead1']), node('Neg', ['dead1'], ['dead2']));
    g.initializer.push(weights('unused', [4]));
    g.value_info.push(floatInfo('dead2', [2]));
    const { graph: pruned, removedNodes, removedInitializers } = pruneGraph(g);
    expect([removedNodes, removedInitializers]).toEqual([2, 1]);
    // 'scale' is only read inside the Loop body, two levels down: its Constant must stay
    expect(pruned.node.map((n) => n.output[0])).toEqual(['trip', 'scale', 's', 'cond', 'y']);
    expect(pruned.value_info).toEqual([]);
    expect(g.node.length).toBe(7);
  });

  it('prunes inside bodies and keeps initializers that are also graph inputs', () => {
    const body = graph({ output: [{ name: 'o' }], node: [node('Identity', ['x'], ['o']), node('Neg', ['x'], ['unused'])] });
    const g = graph({
      input: [floatInfo('x', [1]), floatInfo('c', [1])], initializer: [weights('c', [1])], output: [{ name: 'y' }],
      node: [node('If', ['cond'], ['y'], { attribute: [makeAttribute('then_branch', body), makeAttribute('else_branch', body)] })],
    });
    const result = pruneGraph(g);
    expect(result.removedNodes).toBe(2);
    expect(result.graph.initializer.map((t) => t.name)).toEqual(['c']);
    expect(result.graph.node[0]!.attribute[0]!.g!.node.map((n) => n.op_type)).toEqual(['Identity']);
  });
});

describe('attribute getters', () => {
  it('read ints as numbers and bytes as strings', () => {
    const n = node('Slice', [], [], {
      attribute: [makeAttribute('ends', { ints: [2n ** 63n - 1n, 3] }), makeAttribute('axis', { int: -1 }), makeAttribute('mode', 'constant')],
    });
    expect(attrInts(n, 'ends')).toEqual([9223372036854775807, 3]);
    expect(attrInt(n, 'axis')).toBe(-1);
    expect(attrString(n, 'mode')).toBe('constant');
    expect(attrInt(n, 'missing')).toBeUndefined();
    expect(model(graph({})).opset_import[0]!.version).toBe(17);
  });
});
