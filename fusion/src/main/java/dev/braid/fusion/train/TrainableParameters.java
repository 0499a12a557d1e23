package dev.braid.fusion.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Which parameters of a model the optimiser updates: all of them except those of frozen child
 * blocks.
 *
 * <p>A child is named by the block instance itself, not by a parameter-path prefix: DJL's parameter
 * paths carry position prefixes ({@code 01encoder_02layer0_...}) that change when blocks are added
 * or reordered, while {@code child.getParameters()} always yields exactly that child's parameters.
 * Instances are immutable; {@link #freeze} and {@link #unfreeze} return new ones.
 *
 * <p>A frozen parameter still receives a gradient in the backward pass; it is simply never given to
 * the optimiser or to clipping. Zero the gradients of {@link #all()}, so a frozen parameter's
 * gradient does not pile up and land in its first update after unfreezing.
 */
public final class TrainableParameters {

    private final Block model;
    private final List<Parameter> all;
    private final List<Block> frozen;
    private final List<Parameter> trainable;

    private TrainableParameters(Block model, List<Parameter> all, List<Block> frozen) {
        this.model = model;
        this.all = all;
        this.frozen = frozen;
        Set<Parameter> excluded = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Block child : frozen) {
            for (Pair<String, Parameter> pair : child.getParameters()) {
                excluded.add(pair.getValue());
            }
        }
        List<Parameter> kept = new ArrayList<>();
        for (Parameter parameter : all) {
            if (!excluded.contains(parameter) && parameter.requiresGradient()) {
                kept.add(parameter);
            }
        }
        this.trainable = Collections.unmodifiableList(kept);
    }

    /** Every parameter of {@code model} trainable. */
    public static TrainableParameters of(Block model) {
        List<Parameter> all = new ArrayList<>();
        for (Pair<String, Parameter> pair : model.getParameters()) {
            all.add(pair.getValue());
        }
        return new TrainableParameters(model, Collections.unmodifiableList(all), List.of());
    }

    /**
     * These parameters with those of {@code child} frozen as well.
     *
     * @throws IllegalArgumentException if {@code child} has a parameter that is not the model's
     */
    public TrainableParameters freeze(Block child) {
        Set<Parameter> known = Collections.newSetFromMap(new IdentityHashMap<>());
        known.addAll(all);
        for (Pair<String, Parameter> pair : child.getParameters()) {
            if (!known.contains(pair.getValue())) {
                throw new IllegalArgumentException(
                        "cannot freeze "
                                + child.getClass().getSimpleName()
                                + ": its parameter "
                                + pair.getKey()
                                + " is not one of the model's");
            }
        }
        List<Block> blocks = new ArrayList<>(frozen);
        blocks.add(child);
        return new TrainableParameters(model, all, List.copyOf(blocks));
    }

    /** These parameters with {@code child} no longer frozen (if it was frozen). */
    public TrainableParameters unfreeze(Block child) {
        List<Block> blocks = new ArrayList<>(frozen);
        blocks.removeIf(block -> block == child);
        return new TrainableParameters(model, all, List.copyOf(blocks));
    }

    /** Every parameter of the model, frozen or not, in {@code model.getParameters()} order. */
    public List<Parameter> all() {
        return all;
    }

    /** The parameters to optimise: {@link #all()} without those of frozen children. */
    public List<Parameter> trainable() {
        return trainable;
    }

    /** The model these parameters belong to. */
    public Block model() {
        return model;
    }
}
