package dev.braid.fusion.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A text encoder from a TorchScript file (run by DJL's PyTorch engine), then a {@link TextAdapter}
 * to the fusion width. The module takes {@code ids int64 [B, T]} and {@code mask bool [B, T]} and
 * returns {@code tokens float [B, T, H]}; its weights are parameters of this block, so it trains
 * with the rest of the model, or stays as it is when the run freezes {@code TEXT} ({@code
 * training.frozenEncoders}).
 *
 * <p>Input {@code NDList(ids [B, T], mask [B, T])}; output {@code NDList(tokens [B, T, D], mask [B,
 * T])}.
 *
 * <p>The module's weights live inside the module, not in a {@link ParameterStore}: all of a step's
 * micro-batches add their gradients into them directly (two at once add in either order to the same
 * bits; more would not, which is why a run refuses more for a trained module). Saved parameters are
 * the module's weights by name, copied into the module loaded from {@link
 * ModelConfig.TorchScriptText#path()} (its SHA-256 checked), then the adapter's.
 */
public final class TorchScriptTextEncoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final ModelConfig.TorchScriptText config;
    // DJL frees a model's arrays once the model is unreachable: held for the module's lifetime
    private final Model holder;
    private final Block module;
    private final TextAdapter adapter;

    /**
     * Loads the module {@code config} names.
     *
     * @throws UncheckedIOException naming the file if it is missing, not TorchScript, or not the
     *     bytes of the recorded SHA-256
     */
    public TorchScriptTextEncoder(ModelConfig.TorchScriptText config) {
        super(VERSION);
        this.config = config;
        Path file = Path.of(config.path());
        try {
            String sha256 = sha256(file);
            if (!sha256.equals(config.sha256())) {
                throw new IOException(
                        file
                                + ": its SHA-256 is "
                                + sha256
                                + " but the model was made with "
                                + config.sha256()
                                + "; restore that file");
            }
            holder = load(file);
            module = addChildBlock("module", holder.getBlock());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        adapter = addChildBlock("adapter", new TextAdapter(config.width()));
    }

    /**
     * The SHA-256 of a file, as {@link ModelConfig.TorchScriptText} records it.
     *
     * @throws IOException naming the file if it cannot be read
     */
    public static String sha256(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such TorchScript file");
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /**
     * The width H of the module's tokens, found by running it on one token.
     *
     * @throws IOException naming the file if it is missing or not such a module
     */
    public static int featureWidth(Path file) throws IOException {
        try (Model holder = load(file);
                NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDList out =
                    holder.getBlock()
                            .forward(
                                    new ParameterStore(manager, false),
                                    new NDList(
                                            manager.create(new long[] {0}, new Shape(1, 1)),
                                            manager.create(new boolean[] {true}, new Shape(1, 1))),
                                    false);
            Shape shape = out.get(0).getShape();
            if (shape.dimension() != 3) {
                throw new IOException(
                        file
                                + ": gives "
                                + shape
                                + " for (ids [1, 1], mask [1, 1]), not [B, T, H]");
            }
            return (int) shape.get(2);
        } catch (RuntimeException e) {
            throw new IOException(
                    file + ": does not take (ids int64 [B, T], mask bool [B, T]): " + e, e);
        }
    }

    private static Model load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such TorchScript file");
        }
        Model model = Model.newInstance(file.getFileName().toString(), Device.cpu(), "PyTorch");
        try {
            // trainParam: the module's weights take gradients, to fine-tune it
            model.load(
                    file.toAbsolutePath().getParent(),
                    file.getFileName().toString(),
                    Map.of("trainParam", "true"));
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException(file + ": not a TorchScript module: " + e.getMessage(), e);
        }
        return model;
    }

    /** The module this encoder runs, for inspection. */
    public Block module() {
        return module;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray mask = inputs.get(1);
        NDList in = new NDList(inputs.get(0), mask);
        // (a per-thread setting) the optimising executor specialises the module for the first
        // calls' autograd state, and fails when it changes between training and evaluation
        JniUtils.setGraphExecutorOptimize(false);
        if (training) {
            NDArray tokens = module.forward(store, in, true).get(0); // (B, T, H)
            return adapter.forward(store, new NDList(tokens, mask), true);
        }
        // Outside training DJL runs the module in inference mode, where its inputs become
        // inference tensors, which autograd refuses: so no autograd in the module, and its
        // output copied into an ordinary tensor for the adapter
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        NDArray tokens;
        try (NDArray inference = module.forward(store, in, false).get(0)) {
            tokens = inference.duplicate();
        } finally {
            JniUtils.setGradMode(grad);
        }
        return adapter.forward(store, new NDList(tokens, mask), false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.width()), inputShapes[1]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        adapter.initialize(
                manager,
                dataType,
                new Shape(ids.get(0), ids.get(1), config.featureWidth()),
                inputShapes[1]);
    }

    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        os.writeByte(VERSION);
        PairList<String, Parameter> weights = module.getParameters();
        os.writeInt(weights.size());
        for (Pair<String, Parameter> weight : weights) {
            os.writeUTF(weight.getKey());
            byte[] bytes = weight.getValue().getArray().encode();
            os.writeInt(bytes.length);
            os.write(bytes);
        }
        adapter.saveParameters(os);
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        byte version = is.readByte();
        if (version != VERSION) {
            throw new MalformedModelException("TorchScriptTextEncoder version " + version);
        }
        PairList<String, Parameter> weights = module.getParameters();
        int n = is.readInt();
        if (n != weights.size()) {
            throw new MalformedModelException(
                    n + " module weights saved, the module has " + weights.size());
        }
        for (Pair<String, Parameter> weight : weights) {
            String name = is.readUTF();
            if (!name.equals(weight.getKey())) {
                throw new MalformedModelException(
                        "module weight " + name + " saved where " + weight.getKey() + " is");
            }
            byte[] bytes = is.readNBytes(is.readInt());
            NDArray target = weight.getValue().getArray();
            try (NDManager scratch = manager.newSubManager();
                    NDArray saved = scratch.decode(bytes)) {
                if (!saved.getShape().equals(target.getShape())) {
                    throw new MalformedModelException(
                            name + " saved as " + saved.getShape() + ", is " + target.getShape());
                }
                // copied into the module's own tensor: the module keeps computing with it
                target.setRequiresGradient(false);
                target.set(saved.toByteBuffer());
                target.setRequiresGradient(true);
            }
        }
        adapter.loadParameters(manager, is);
    }
}
