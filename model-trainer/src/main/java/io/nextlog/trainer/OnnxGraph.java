package io.nextlog.trainer;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A small builder for ONNX graphs over the protobuf classes: named inputs, outputs, initialisers
 * and nodes whose outputs get fresh names. Not thread-safe.
 */
final class OnnxGraph {

    /** ONNX opset the graph uses; LayerNormalization needs 17. */
    static final int OPSET = 17;

    /** IR version 8 goes with opset 17. */
    static final int IR_VERSION = 8;

    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();
    private static final int INT64 = TensorProto.DataType.INT64.getNumber();

    private final GraphProto.Builder graph;
    private int nodeCount;

    OnnxGraph(String name) {
        this.graph = GraphProto.newBuilder().setName(name);
    }

    /** Declares an int64 graph input with symbolic dims. */
    void int64Input(String name, String... dims) {
        graph.addInput(valueInfo(name, INT64, dims));
    }

    /** Declares a float graph output with symbolic dims. */
    void floatOutput(String name, String... dims) {
        graph.addOutput(valueInfo(name, FLOAT, dims));
    }

    /** Adds a float initialiser, row-major. */
    String floats(String name, float[] values, long... dims) {
        ByteBuffer bytes = littleEndian(values.length * Float.BYTES);
        bytes.asFloatBuffer().put(values);
        graph.addInitializer(tensor(name, FLOAT, bytes, dims));
        return name;
    }

    /** Adds an int64 initialiser, row-major. */
    String int64s(String name, long[] values, long... dims) {
        ByteBuffer bytes = littleEndian(values.length * Long.BYTES);
        bytes.asLongBuffer().put(values);
        graph.addInitializer(tensor(name, INT64, bytes, dims));
        return name;
    }

    /** Adds an int64 scalar initialiser. */
    String int64Scalar(String name, long value) {
        return int64s(name, new long[] {value});
    }

    /** Adds a float scalar initialiser. */
    String floatScalar(String name, float value) {
        return floats(name, new float[] {value});
    }

    /** Adds a node with one output under a fresh name; returns that name. */
    String node(String op, List<String> inputs, AttributeProto... attributes) {
        String output = op.toLowerCase() + "_" + nodeCount;
        nodeNamed(op, inputs, List.of(output), attributes);
        return output;
    }

    /** Adds a node with the given output names. */
    void nodeNamed(
            String op, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        graph.addNode(
                NodeProto.newBuilder()
                        .setName(op + "_" + nodeCount++)
                        .setOpType(op)
                        .addAllInput(inputs)
                        .addAllOutput(outputs)
                        .addAllAttribute(List.of(attributes)));
    }

    /** Returns fresh names for a node with several outputs. */
    List<String> freshNames(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + "_" + nodeCount + "_" + i);
        }
        return names;
    }

    /** Serialises the graph as a model. */
    byte[] toModel(String producer) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(producer)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    static AttributeProto intsAttribute(String name, long... values) {
        AttributeProto.Builder attribute =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    private static ValueInfoProto valueInfo(String name, int elementType, String... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (String dim : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(dim));
        }
        TypeProto.Tensor tensorType =
                TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(shape).build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensorType))
                .build();
    }

    private static TensorProto tensor(String name, int type, ByteBuffer bytes, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(type);
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.setRawData(ByteString.copyFrom(bytes.rewind())).build();
    }

    private static ByteBuffer littleEndian(int size) {
        // ONNX raw_data is little-endian whatever the platform.
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
