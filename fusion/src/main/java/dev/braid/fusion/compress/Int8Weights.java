package dev.braid.fusion.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.braid.files.AtomicFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A block's parameters in one file, the weights of linear, attention, convolution and embedding
 * layers (every learned parameter of two or more dimensions) as {@link Int8Tensor}s, the rest
 * (biases, norms, batch-norm statistics: a small share of the bytes) as float32.
 *
 * <p>Loading dequantises into the block's float32 parameters: the file is about 4x smaller, the
 * arithmetic is float32 as before (DJL 0.35 reaches no int8 matrix kernel of libtorch; see the
 * README's Compression section for what was measured).
 *
 * <p>Layout: {@code "BRQ8"}, version, the parameter count; per parameter in {@link
 * Block#getParameters()} order: name, shape, kind (0 float32, 1 int8), then the float32 values, or
 * the channel scales and the int8 values; little-endian.
 */
public final class Int8Weights {

    /** The file name in a model directory. */
    public static final String FILE = "model.int8.params";

    private static final int MAGIC = 0x42525138; // "BRQ8"
    private static final int VERSION = 1;
    private static final byte FLOAT32 = 0;
    private static final byte INT8 = 1;

    private Int8Weights() {}

    /** Whether {@code parameter} is stored as int8. */
    static boolean isWeightMatrix(Parameter parameter) {
        Parameter.Type type = parameter.getType();
        return parameter.getArray().getShape().dimension() >= 2
                && type != Parameter.Type.RUNNING_MEAN
                && type != Parameter.Type.RUNNING_VAR;
    }

    /** Writes {@code block}'s parameters to {@code file}, replacing it in one step. */
    public static void save(Block block, Path file) throws IOException {
        AtomicFile.write(
                file,
                raw -> {
                    DataOutputStream out = new DataOutputStream(raw);
                    List<Pair<String, Parameter>> parameters =
                            block.getParameters().stream().toList();
                    out.writeInt(MAGIC);
                    out.writeInt(VERSION);
                    out.writeInt(parameters.size());
                    for (Pair<String, Parameter> pair : parameters) {
                        NDArray array = pair.getValue().getArray();
                        long[] shape = array.getShape().getShape();
                        out.writeUTF(pair.getKey());
                        out.writeInt(shape.length);
                        for (long d : shape) {
                            out.writeLong(d);
                        }
                        float[] values = array.toFloatArray();
                        if (isWeightMatrix(pair.getValue())) {
                            Int8Tensor q = Int8Tensor.quantise(values, (int) shape[0]);
                            out.writeByte(INT8);
                            out.write(floatBytes(q.scales()));
                            out.write(q.values());
                        } else {
                            out.writeByte(FLOAT32);
                            out.write(floatBytes(values));
                        }
                    }
                });
    }

    /**
     * Reads what {@link #save} wrote into {@code block}'s parameters, which must be initialised
     * with the same shapes.
     *
     * @throws IOException naming the file and the parameter if it does not fit the block
     */
    public static void load(Block block, Path file) throws IOException {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not an int8 weight file of this Braid version");
            }
            List<Pair<String, Parameter>> parameters = block.getParameters().stream().toList();
            int count = in.readInt();
            if (count != parameters.size()) {
                throw new IOException(
                        file
                                + " holds "
                                + count
                                + " parameters but the model has "
                                + parameters.size());
            }
            for (Pair<String, Parameter> pair : parameters) {
                String name = in.readUTF();
                long[] shape = new long[in.readInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                NDArray array = pair.getValue().getArray();
                if (!name.equals(pair.getKey()) || !array.getShape().equals(new Shape(shape))) {
                    throw new IOException(
                            file
                                    + ": parameter "
                                    + name
                                    + " "
                                    + Arrays.toString(shape)
                                    + " does not fit the model's "
                                    + pair.getKey()
                                    + " "
                                    + array.getShape());
                }
                int size = Math.toIntExact(array.size());
                byte kind = in.readByte();
                float[] values;
                if (kind == INT8) {
                    float[] scales = readFloats(in, (int) shape[0]);
                    byte[] q = new byte[size];
                    in.readFully(q);
                    values = new Int8Tensor(q, scales).dequantise();
                } else {
                    values = readFloats(in, size);
                }
                array.set(FloatBuffer.wrap(values));
            }
        } catch (EOFException e) {
            throw new IOException(file + " is cut short", e);
        }
    }

    private static byte[] floatBytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        byte[] bytes = new byte[4 * n];
        in.readFully(bytes);
        float[] out = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
