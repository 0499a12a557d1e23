package dev.braid.apps.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Braid's main sources never hand a Java number to an {@link NDArray} operation that autograd
 * records with its operand.
 *
 * <p>DJL 0.35.1's PyTorch engine implements {@code x.mul(2f)} (and {@code div}, {@code pow}, {@code
 * maximum}, {@code minimum}, {@code mod}, their in-place forms, and the comparisons) by wrapping
 * the number in a tensor over a Java direct buffer ({@code torch::from_blob}) and closing it
 * straight after the op. Autograd keeps that tensor for the backward pass, but the buffer is freed
 * by the next garbage collection, so backward reads freed memory: non-finite or silently wrong
 * gradients. {@code dev.braid.text.transformer.Scalars} makes the scalar with torch-owned storage
 * instead; this rule keeps every call going through it. It checks the bytecode, so it cannot tell a
 * tensor that needs a gradient from one that does not, and bans the overloads everywhere: the safe
 * form costs nothing.
 */
class ScalarOperandRuleTest {

    private static final Set<String> RECORDED_WITH_OPERAND =
            Set.of(
                    "mul", "muli", "div", "divi", "pow", "powi", "maximum", "minimum", "mod",
                    "modi", "rdiv", "rdivi", "rmod", "rmodi", "rpow", "rpowi");

    private static final DescribedPredicate<JavaCall<?>> NUMBER_OPERAND =
            DescribedPredicate.describe(
                    "an NDArray operation with a java.lang.Number operand that autograd records",
                    call ->
                            call.getTargetOwner().isAssignableTo(NDArray.class)
                                    && RECORDED_WITH_OPERAND.contains(call.getName())
                                    && call.getTarget().getRawParameterTypes().stream()
                                            .map(t -> t.getName())
                                            .toList()
                                            .equals(List.of(Number.class.getName())));

    @Test
    void mainSourcesPassScalarsThroughScalars() {
        JavaClasses braid =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.braid");
        // The rule must see every module's classes, wherever Maven put them (folder or jar).
        for (String module :
                List.of(
                        "dev.braid.text.transformer.MultiHeadAttention",
                        "dev.braid.vision.encoder.CnnImageEncoder",
                        "dev.braid.audio.encoder.SpectrogramEncoder",
                        "dev.braid.fusion.train.FusionTrainer",
                        "dev.braid.apps.Braid")) {
            assertTrue(braid.contain(module), module + " was not imported");
        }
        ArchRule rule =
                noClasses()
                        .should()
                        .callMethodWhere(NUMBER_OPERAND)
                        .because(
                                "DJL frees the scalar before backward reads it; use"
                                        + " dev.braid.text.transformer.Scalars");
        rule.check(braid);
    }
}
