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
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.train.TeacherForcedReply;
import dev.braid.fusion.train.TrainingLoss;
import dev.braid.text.decoder.DecoderConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Distillation as the loss of the shared training loop: the teacher answers each micro-batch (the
 * same inputs the student sees, in inference mode, recording no gradient), and every classification
 * head's {@link DistillationLoss#soft soft term} and every generation head's {@link
 * DistillationLoss#sequence token-level term} (the teacher's reply head reading the same
 * teacher-forced reference reply as the student's, over its own memory of the same inputs) are
 * mixed with the heads' own loss. Other heads (regression, multi-label, plug-in kinds) learn from
 * their labels only.
 *
 * <p>The teacher's weights are only read, so the micro-batch threads share it.
 */
public final class TeacherTargets implements TrainingLoss {

    private final FusionModel teacher;
    private final List<String> classificationHeads;
    private final List<String> generationHeads;
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
        this.generationHeads =
                student.heads().stream()
                        .filter(h -> h.kind().equals(HeadKind.GENERATION))
                        .map(HeadSpec::name)
                        .toList();
        for (String head : generationHeads) {
            requireSameVocabulary(head, teacher.config(), student);
        }
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

    /**
     * @throws IllegalArgumentException if the student's reply head {@code head} writes other token
     *     ids than the teacher's, or reads replies of another length
     */
    private static void requireSameVocabulary(
            String head, ModelConfig teacher, ModelConfig student) {
        DecoderConfig theirs = teacher.replyHeads().get(head).decoder();
        DecoderConfig own = student.replyHeads().get(head).decoder();
        if (theirs.vocabularySize() != own.vocabularySize()
                || theirs.maxLength() != own.maxLength()) {
            throw new IllegalArgumentException(
                    "the student's reply head '"
                            + head
                            + "' (vocabulary "
                            + own.vocabularySize()
                            + ", maxLength "
                            + own.maxLength()
                            + ") does not fit the teacher's (vocabulary "
                            + theirs.vocabularySize()
                            + ", maxLength "
                            + theirs.maxLength()
                            + "): distillation compares their distributions token by token");
        }
    }

    @Override
    public NDArray total(
            Map<Modality, NDList> inputs,
            Map<String, NDArray> logits,
            NDArray headsLoss,
            NDManager batch) {
        return total(inputs, logits, Map.of(), headsLoss, batch);
    }

    @Override
    public NDArray total(
            Map<Modality, NDList> inputs,
            Map<String, NDArray> logits,
            Map<String, TeacherForcedReply> replies,
            NDArray headsLoss,
            NDManager batch) {
        boolean replying = generationHeads.stream().anyMatch(replies::containsKey);
        if (classificationHeads.isEmpty() && !replying || alpha == 0) {
            return headsLoss; // nothing to learn from the teacher: the labels alone, exactly
        }
        FusionModel.Encoded answers;
        Map<String, NDArray> taught = new TreeMap<>();
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // this thread only: the teacher is not trained
        try {
            ParameterStore store = new ParameterStore(batch, false);
            answers = teacher.predictWithTokens(store, inputs, false);
            for (String head : generationHeads) {
                TeacherForcedReply reply = replies.get(head);
                if (reply == null) {
                    continue; // no reply to this head in the micro-batch
                }
                ReplyHead theirs = teacher.replyHeads().get(head);
                NDList memory = theirs.memory(store, answers, inputs, false);
                NDList decoderInput = ReplyHead.decoderInput(reply.inputs(), reply.mask(), memory);
                taught.put(
                        head,
                        theirs.forward(store, decoderInput, false)
                                .singletonOrThrow()); // (B, T, V), the same reply read
            }
        } finally {
            JniUtils.setGradMode(recording); // the terms below are the student's: recorded
        }
        NDArray soft = null;
        for (String head : classificationHeads) {
            NDArray term =
                    DistillationLoss.soft(
                            logits.get(head), answers.logits().get(head), temperature);
            soft = soft == null ? term : soft.add(term);
        }
        for (Map.Entry<String, NDArray> head : taught.entrySet()) {
            TeacherForcedReply reply = replies.get(head.getKey());
            NDArray term =
                    DistillationLoss.sequence(
                            reply.outputs(), head.getValue(), reply.scored(), temperature);
            soft = soft == null ? term : soft.add(term);
        }
        return soft == null ? headsLoss : DistillationLoss.mix(soft, headsLoss, alpha);
    }
}
