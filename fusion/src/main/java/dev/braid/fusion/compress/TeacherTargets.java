package dev.braid.fusion.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.train.TrainingLoss;
import java.util.List;
import java.util.Map;

/**
 * Distillation as the loss of the shared training loop: the teacher answers each micro-batch (the
 * same inputs the student sees, in inference mode, recording no gradient), and every classification
 * head's {@link DistillationLoss#soft soft term} is mixed with the heads' own loss. Other heads
 * (regression, multi-label, plug-in kinds) learn from their labels only.
 *
 * <p>The teacher's weights are only read, so the micro-batch threads share it.
 */
public final class TeacherTargets implements TrainingLoss {

    private final FusionModel teacher;
    private final List<String> classificationHeads;
    private final float temperature;
    private final float alpha;

    /**
     * @param teacher the trained teacher
     * @param student the student's configuration, whose heads must be the teacher's
     * @param temperature T, positive
     * @param alpha the weight of the soft term, in [0, 1]
     * @throws IllegalArgumentException if a setting is out of range, or the student's heads are not
     *     the teacher's (names, kinds, classes)
     */
    public TeacherTargets(
            FusionModel teacher, ModelConfig student, float temperature, float alpha) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException(
                    "temperature (" + temperature + ") must be positive");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha (" + alpha + ") must be in [0, 1]");
        }
        requireSameHeads(teacher.config(), student);
        this.teacher = teacher;
        this.classificationHeads =
                student.heads().stream()
                        .filter(h -> h.kind().equals(HeadKind.CLASSIFICATION))
                        .map(HeadSpec::name)
                        .toList();
        this.temperature = temperature;
        this.alpha = alpha;
    }

    /**
     * @throws IllegalArgumentException naming the first head of the student that the teacher does
     *     not have in the same form
     */
    static void requireSameHeads(ModelConfig teacher, ModelConfig student) {
        Map<String, HeadSpec> theirs =
                teacher.heads().stream()
                        .collect(java.util.stream.Collectors.toMap(HeadSpec::name, h -> h));
        for (HeadSpec head : student.heads()) {
            HeadSpec match = theirs.get(head.name());
            if (match == null
                    || !match.kind().equals(head.kind())
                    || !match.classes().equals(head.classes())) {
                throw new IllegalArgumentException(
                        "the student's head '"
                                + head.name()
                                + "' ("
                                + head.kind().name().toLowerCase(java.util.Locale.ROOT)
                                + ", "
                                + head.classes().size()
                                + " classes) does not fit the teacher's heads "
                                + teacher.heads().stream()
                                        .map(h -> h.name() + " (" + h.classes().size() + ")")
                                        .toList());
            }
        }
        if (student.heads().size() != teacher.heads().size()) {
            throw new IllegalArgumentException(
                    "the student has "
                            + student.heads().size()
                            + " heads, the teacher "
                            + teacher.heads().size());
        }
    }

    @Override
    public NDArray total(
            Map<Modality, NDList> inputs,
            Map<String, NDArray> logits,
            NDArray headsLoss,
            NDManager batch) {
        if (classificationHeads.isEmpty() || alpha == 0) {
            return headsLoss; // nothing to learn from the teacher: the labels alone, exactly
        }
        Map<String, NDArray> answers;
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // this thread only: the teacher is not trained
        try {
            answers = teacher.predict(new ParameterStore(batch, false), inputs, false);
        } finally {
            JniUtils.setGradMode(recording);
        }
        NDArray soft = null;
        for (String head : classificationHeads) {
            NDArray term = DistillationLoss.soft(logits.get(head), answers.get(head), temperature);
            soft = soft == null ? term : soft.add(term);
        }
        return DistillationLoss.mix(soft, headsLoss, alpha);
    }
}
