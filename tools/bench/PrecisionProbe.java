import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Which low-precision matrix products DJL 0.35.1 reaches in libtorch 2.7.1 on this CPU, and how
 * fast they are against float32, at the shapes of Braid's layers (batch 1 and a batch of 64 x 49
 * tokens through a 64 -> 256 feed-forward layer) and one large product. The kinds take turns, three
 * rounds. bfloat16 is tried last, in a mode of its own, because creating a bfloat16 array ends
 * the process (libtorch's "terminate called without an active exception").
 *
 * <pre>
 * CP=$(ls apps/target/lib/*.jar | grep -v logback | tr '\n' ':')
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "$CP" tools/bench/PrecisionProbe.java
 * java -Dai.djl.offline=true -cp "$CP" tools/bench/PrecisionProbe.java bf16
 * </pre>
 */
public class PrecisionProbe {

    static double millis(Runnable product, int reps) {
        for (int i = 0; i < 3; i++) {
            product.run();
        }
        long t = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            product.run();
        }
        return (System.nanoTime() - t) / 1e6 / reps;
    }

    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            if (args.length > 0 && args[0].equals("bf16")) {
                NDArray x = m.randomNormal(new Shape(4, 4));
                System.out.println("casting to bfloat16...");
                System.out.println(x.toType(DataType.BFLOAT16, false).matMul(x).getDataType());
                return;
            }
            for (long[] s : new long[][] {{1, 64, 256}, {3136, 64, 256}, {1024, 1024, 1024}}) {
                NDArray x = m.randomNormal(new Shape(s[0], s[1]));
                NDArray w = m.randomNormal(new Shape(s[1], s[2]));
                NDArray xh = x.toType(DataType.FLOAT16, false);
                NDArray wh = w.toType(DataType.FLOAT16, false);
                NDArray xq = x.toType(DataType.INT8, false);
                NDArray wq = w.toType(DataType.INT8, false);
                int reps = s[0] == 1024 ? 3 : s[0] == 1 ? 300 : 20;
                double[] t = new double[3];
                for (int round = 0; round < 3; round++) {
                    t[0] += millis(() -> x.matMul(w).close(), reps);
                    t[1] += millis(() -> xh.matMul(wh).close(), reps);
                    t[2] += millis(() -> xq.matMul(wq).close(), reps);
                }
                System.out.printf(
                        "matmul %s: float32 %.4f ms, float16 %.4f ms (%.2fx the time), int8 %.4f ms"
                                + " (%.2fx; int8 out, wrapping: no int32 accumulator, no scales)%n",
                        Arrays.toString(s), t[0] / 3, t[1] / 3, t[1] / t[0], t[2] / 3, t[2] / t[0]);
            }
        }
    }
}
